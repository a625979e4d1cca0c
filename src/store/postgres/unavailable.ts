/**
 * Telling "the database cannot be reached" from every other failure: a
 * refused or timed-out connection, a server that is shutting down or
 * starting, a connection cut under a statement. These become
 * StoreUnavailableError (503 at the REST door); anything else is a bug and
 * stays as it is.
 */
import { describeDatabase } from '../../core/config.js';
import { StoreUnavailableError } from '../../core/errors.js';

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * SQLSTATE class 08 (connection exception), 57P01..57P03 (the server is
 * shutting down, crashed, or not accepting connections yet).
 */
const SERVER_GONE_SQLSTATE = /^(08...|57P0[123])$/;

/** What pg and pg-pool throw when a connection ends or cannot be had in time. */
const CONNECTION_LOST_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect)/;

function isUnreachable(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE_SQLSTATE.test(code))) return true;
  // AggregateError: every address of a host name refused.
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return CONNECTION_LOST_MESSAGE.test(error.message);
}

/** `error` as a StoreUnavailableError when it says the database at `url` is out of reach; else `error` itself. */
export function asStoreError(error: unknown, url: string): unknown {
  if (!isUnreachable(error)) return error;
  const database = describeDatabase(url);
  const reason = error.message || (error instanceof AggregateError ? error.errors.map(String).join(', ') : error.name);
  const { hostname, port } = new URL(url);
  return new StoreUnavailableError(
    database,
    reason,
    `Check that PostgreSQL runs and accepts connections at ${hostname}:${port || 5432} (pg_isready -h ${hostname} -p ${port || 5432}), then try again.`,
    error,
  );
}
