/** What the SQLite and PostgreSQL schema histories are made of, and the error for a database newer than this code. */
import { ClaudeWorkerError } from '../core/errors.js';

/** One step of a schema history. Steps are only ever appended: databases in the field have run the released ones. */
export interface Migration {
  /** What the step adds, for people reading the list. */
  name: string;
  sql: string;
}

/** The database was written by a newer version of claude-worker; running older code on it could corrupt it. */
export class DatabaseVersionError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The task database has schema version ${found}, but this claude-worker knows only up to ${supported}. ` +
        'Upgrade claude-worker, or point CLAUDE_WORKER_DB at another database.',
    );
    this.name = 'DatabaseVersionError';
  }
}
