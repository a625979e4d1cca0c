/** The port a server was asked to listen on is taken. */
import { ClaudeWorkerError } from '../core/errors.js';

export class PortInUseError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Port ${port} on ${host} is already in use (EADDRINUSE), by another program or another claude-worker server. ` +
        'Choose another with --port (and point CLAUDE_WORKER_SERVER_URL at it), ' +
        'or see whether a claude-worker server already answers there: claude-worker server status',
    );
    this.name = 'PortInUseError';
  }
}
