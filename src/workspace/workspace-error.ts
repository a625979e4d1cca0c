import { ClaudeWorkerError } from '../core/errors.js';

/**
 * A task's worktree that cannot be made or set up (a path in the way, a
 * broken `.claude-worker.json`, a failing `worktree.setup`); the message says
 * why and what to do. The task ends `setup_failed`.
 */
export class WorkspaceError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}
