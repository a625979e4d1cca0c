/**
 * Programmatic API: a typed client for a claude-worker server, the task model
 * and the typed errors every operation may throw.
 */
export { ClaudeWorkerClient, type ClaudeWorkerClientOptions } from './service/http-client.js';
export type { LogsOptions, SubmitResult, TaskService } from './service/task-service.js';
export type { CreateTaskInput, Health, ListTasksQuery } from './core/schemas.js';
export {
  FAILURE_CODES,
  PERMISSION_MODES,
  TASK_STATUSES,
  TERMINAL_STATUSES,
  isTerminal,
  type FailureCode,
  type PermissionMode,
  type RunStats,
  type Task,
  type TaskPage,
  type TaskStatus,
  type TokenUsage,
} from './core/task.js';
export { WORKER_STATES, type Worker, type WorkerList, type WorkerState } from './core/worker.js';
export type { Labels } from './core/labels.js';
export {
  ClaudeWorkerError,
  ForbiddenError,
  OrchestrationNotFoundError,
  RemoteError,
  ServerUnreachableError,
  TaskNotFoundError,
  UnauthorizedError,
  ValidationError,
  type ErrorCode,
  type ValidationIssue,
} from './core/errors.js';
export { VERSION } from './version.js';
