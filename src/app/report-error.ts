/**
 * How a failed command reads on stderr: `error: <message>`, then every
 * validation problem on its own line. Expected failures (typed errors, file
 * system errors) never show a stack trace; only a bug does.
 */
import { ClaudeWorkerError, OrchestrationNotFoundError, TaskNotFoundError, ValidationError } from '../core/errors.js';

export function describeError(error: unknown): string {
  if (error instanceof ValidationError) {
    const problems = error.issues.map((issue) => `  ${issue.field}: ${issue.message}`);
    return [
      `error: invalid input (${error.issues.length === 1 ? '1 problem' : `${error.issues.length} problems`})`,
      ...problems,
    ].join('\n');
  }
  if (error instanceof TaskNotFoundError) return `error: ${error.message} List tasks with: claude-worker list`;
  if (error instanceof OrchestrationNotFoundError) {
    return `error: ${error.message} List them with: claude-worker list-orchestrations`;
  }
  if (error instanceof ClaudeWorkerError) return `error: ${error.message}`;
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    return `error: ${error.message}`; // a system error (EACCES, EADDRINUSE...): the message says it all
  }
  if (error instanceof Error) return `error: ${error.message}\n${error.stack ?? ''}`.trimEnd();
  return `error: ${String(error)}`;
}
