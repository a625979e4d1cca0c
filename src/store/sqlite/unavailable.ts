/**
 * Telling "the database file cannot be used now" from every other failure:
 * another process holding the write lock past the busy timeout, or a file
 * that cannot be opened. These become StoreUnavailableError (503 at the REST
 * door); anything else stays as it is.
 */
import { StoreUnavailableError } from '../../core/errors.js';

const UNAVAILABLE_CODE = /^SQLITE_(BUSY|LOCKED|CANTOPEN)/;

/** `error` as a StoreUnavailableError when it says the database file at `path` cannot be used; else `error` itself. */
export function asStoreError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !UNAVAILABLE_CODE.test(code)) return error;
  const hint = code.startsWith('SQLITE_CANTOPEN')
    ? 'Check that the file and its directory exist and that this user may read and write them.'
    : `Another process has held its write lock for too long: find it with \`fuser ${path}\`, then try again.`;
  return new StoreUnavailableError(path, `${code}: ${error.message}`, hint, error);
}
