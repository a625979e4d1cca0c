import { describe, expect, it } from 'vitest';
import { DiskFullError, StoreUnavailableError } from '../../src/core/errors.js';
import { asStoreError } from '../../src/store/postgres/store-errors.js';

const URL = 'postgresql://worker:secret@db.example:5433/tasks';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('PostgreSQL errors as the typed errors a user can act on', () => {
  it('says nothing was stored when no connection could be made, and never shows the password', () => {
    const error = asStoreError(withCode('connect ECONNREFUSED 10.0.0.9:5433', 'ECONNREFUSED'), URL);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain('nothing was stored');
    expect((error as Error).message).toContain('pg_isready -h db.example -p 5433');
    expect((error as Error).message).not.toContain('secret');
  });

  it('does not claim nothing was stored when the connection was cut under a statement (a commit may have gone through)', () => {
    for (const cut of [
      new Error('Connection terminated unexpectedly'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('terminating connection due to administrator command', '57P01'),
    ]) {
      const error = asStoreError(cut, URL) as Error;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.message).not.toContain('nothing was stored');
      expect(error.message).toContain('may or may not have been stored: read it back before sending it again');
    }
  });

  it('turns disk_full into DiskFullError and leaves every other error as it is', () => {
    expect(asStoreError(withCode('could not extend file', '53100'), URL)).toBeInstanceOf(DiskFullError);
    const bug = withCode('column "nope" does not exist', '42703');
    expect(asStoreError(bug, URL)).toBe(bug);
  });
});
