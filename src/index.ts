/**
 * Programmatic API: a typed client for a claude-worker server, every type its
 * operations take or return, and the typed errors they throw. Kept to the
 * client and core/ (see .dependency-cruiser.cjs), so loading the package
 * loads no database driver, runner or server.
 */
export { ClaudeWorkerClient, type ClaudeWorkerClientOptions, type FetchLike, type FetchResponse } from './client/http-client.js';
export type {
  DiffOptions,
  EventsOptions,
  LogsOptions,
  SubmitOrchestrationResult,
  SubmitResult,
  TaskService,
} from './service/task-service.js';
export type {
  DiscardInput,
  DiscardOutcome,
  MergeInput,
  MergeOutcome,
  OrchestrationMergeOutcome,
  TaskDiff,
  TaskDiffStat,
} from './core/review.js';
export { TASK_PROGRESS_EVENT, WEBHOOK_EVENT_TYPES, type StateEvent } from './core/events.js';
export { verifyWebhookSignature } from './core/webhook-signature.js';
export type { ContinueTaskInput, CreateTaskInput, Health, ListTasksQuery, QueueResume, ServerWarning } from './core/schemas.js';
export type { UsageFigures, UsageQuery, UsageReport } from './core/usage.js';
export type { BoardPage, BoardQuery, BoardRow } from './core/board.js';
export { PAUSE_KINDS, type PauseKind, type QueuePause } from './core/queue-pause.js';
export type { CreateOrchestrationInput, ListOrchestrationsQuery, OrchestrationTaskInput } from './core/orchestration-schemas.js';
export {
  FAILURE_CODES,
  ISOLATION_MODES,
  PERMISSION_MODES,
  TASK_STATUSES,
  TERMINAL_STATUSES,
  isTerminal,
  type ChangeCounts,
  type FailureCode,
  type Isolation,
  type PermissionMode,
  type RunStats,
  type Task,
  type TaskPage,
  type TaskStatus,
  type TokenUsage,
  type WaitOutcome,
} from './core/task.js';
export {
  FAILURE_POLICIES,
  ORCHESTRATION_STATUSES,
  type FailurePolicy,
  type Orchestration,
  type OrchestrationDetail,
  type OrchestrationPage,
  type OrchestrationStatus,
  type OrchestrationTask,
  type TaskCounts,
} from './core/orchestration.js';
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
