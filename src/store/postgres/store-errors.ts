/**
 * Telling the failures a user can act on from every other one:
 *   - the database cannot be reached: a refused or timed-out connection, a
 *     server that is shutting down or starting, a connection cut under a
 *     statement. StoreUnavailableError, 503 at the REST door;
 *   - its disk is full (SQLSTATE 53100). DiskFullError, 507.
 * Anything else is a bug and stays as it is.
 */
import { describeDatabase } from '../../core/config.js';
import { DiskFullError, StoreUnavailableError } from '../../core/errors.js';

/** PostgreSQL's `disk_full`: it could not extend a file, and the statement's transaction stored nothing. */
const DISK_FULL = '53100';

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * SQLSTATE class 08 (connection exception), 57P01..57P03 (the server is
 * shutting down, crashed, or not accepting connections yet).
 */
const SERVER_GONE_SQLSTATE = /^(08...|57P0[123])$/;

/** What pg and pg-pool throw when a connection ends or cannot be had in time. */
const CONNECTION_LOST_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * Failures to get a connection at all: no statement ran, so nothing was
 * stored. Anything else (a reset, a terminated connection, a shutdown)
 * may have cut the answer to a commit that went through.
 */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);
const NOT_CONNECTED_MESSAGE = /^timeout exceeded when trying to connect/;

function neverConnected(error: Error): boolean {
  if (error instanceof AggregateError) return error.errors.every((inner) => inner instanceof Error && neverConnected(inner));
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) || NOT_CONNECTED_MESSAGE.test(error.message);
}

function isUnreachable(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE_SQLSTATE.test(code))) return true;
  // AggregateError: every address of a host name refused.
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return CONNECTION_LOST_MESSAGE.test(error.message);
}

/** `error` as the typed error for what it says about the database at `url`; else `error` itself. */
export function asStoreError(error: unknown, url: string): unknown {
  const database = describeDatabase(url);
  if ((error as { code?: unknown } | null)?.code === DISK_FULL)
    return new DiskFullError(`the PostgreSQL database ${database}`, error);
  if (!isUnreachable(error)) return error;
  const reason = error.message || (error instanceof AggregateError ? error.errors.map(String).join(', ') : error.name);
  const { hostname, port } = new URL(url);
  return new StoreUnavailableError(
    database,
    reason,
    `Check that PostgreSQL runs and accepts connections at ${hostname}:${port || 5432} (pg_isready -h ${hostname} -p ${port || 5432}), then try again.`,
    error,
    neverConnected(error) ? 'nothing' : 'unknown',
  );
}
