/**
 * Telling the failures a user can act on from every other one:
 *   - the database file cannot be used now: another process holds the write
 *     lock past the busy timeout, or the file cannot be opened.
 *     StoreUnavailableError, 503 at the REST door;
 *   - the disk holding it is full (the write rolled back). DiskFullError, 507.
 * Anything else stays as it is.
 */
import { DiskFullError, StoreUnavailableError } from '../../core/errors.js';

const UNAVAILABLE_CODE = /^SQLITE_(BUSY|LOCKED|CANTOPEN)/;

/** `error` as the typed error for what it says about the database file at `path`; else `error` itself. */
export function asStoreError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') return new DiskFullError(`the SQLite database ${path}`, error);
  if (!(error instanceof Error) || typeof code !== 'string' || !UNAVAILABLE_CODE.test(code)) return error;
  const hint = code.startsWith('SQLITE_CANTOPEN')
    ? 'Check that the file and its directory exist and that this user may read and write them.'
    : `Another process has held its write lock for too long: find it with \`fuser ${path}\`, then try again.`;
  return new StoreUnavailableError(path, `${code}: ${error.message}`, hint, error);
}
