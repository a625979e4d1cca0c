/** The records the TaskStore takes and returns for tasks, leases, attempts and logs (see task-store.ts). */
import type { Labels } from '../core/labels.js';
import type {
  ChangeCounts,
  FailureCode,
  Isolation,
  RunStats,
  TaskDefinition,
  TaskPlacement,
  TaskState,
  TaskStatus,
  TaskWorkspace,
} from '../core/task.js';
import type { AgentProcessInfo, WorkerIdentity } from '../core/worker.js';
import type { PauseKind } from '../core/queue-pause.js';

export type { AgentProcessInfo, WorkerIdentity };

/** A task row as stored. Times are epoch milliseconds. */
export interface TaskRecord extends TaskDefinition, TaskState, TaskPlacement, TaskWorkspace {
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  merged_at: number | null;
  /** When a pending task may next be claimed. */
  run_at: number;
  cancel_requested_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

/**
 * `required_labels` defaults to none (any worker may run the task); `isolation`
 * to `none`, with no base commit. A follow-up names the task it `continues`
 * and starts out with that task's branch and worktree.
 */
export type EnqueueSpec = Omit<TaskDefinition, 'required_labels'> & {
  required_labels?: Labels;
  isolation?: Isolation;
  base_commit?: string | null;
  continues?: number | null;
  branch?: string | null;
  worktree_path?: string | null;
};

export interface EnqueueResult {
  task: TaskRecord;
  /** True when `idempotency_key` matched an existing task, which is returned instead. */
  deduplicated: boolean;
}

/** Proof of ownership of a running task. */
export interface Lease {
  taskId: number;
  token: string;
}

export interface ClaimedTask {
  task: TaskRecord;
  lease: Lease;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  /**
   * The first task claimed after a pause ended: the others wait until it
   * gets through (`probeGotThrough`) or its lease runs out.
   */
  probe: boolean;
}

/** A running attempt recorded for a host, as startup recovery sees it. */
export interface RunningAttempt {
  lease: Lease;
  attempt: number;
  worker: WorkerIdentity;
  agent: AgentProcessInfo | null;
}

export interface HeartbeatResult {
  taskId: number;
  /** False: the lease is gone; kill the agent and record nothing. */
  owned: boolean;
  cancelRequested: boolean;
}

/** Progress a runner reports while the agent works. Undefined fields are left as they are. */
export interface TaskProgress {
  last_action_cache?: string;
  session_id?: string;
  api_key_source?: string;
}

/** Where a running task's work lives, as its runner learns it. Undefined fields are left as they are. */
export interface WorkspaceProgress {
  /** The commit the worktree was really made from, when it is not the one named at submit (the work of its dependencies). */
  base_commit?: string;
  branch?: string;
  worktree_path?: string;
  head_commit?: string;
  changes?: ChangeCounts;
}

/** What a merge of an ended task's branch left: the commit the branch merged into points at. */
export interface MergeRecord {
  merge_commit: string;
}

export interface CompletedResult extends RunStats {
  final_summary: string;
}

export interface FailureRecord extends Partial<RunStats> {
  error_code: FailureCode;
  error_message: string;
  /** Text the agent produced before failing, if any. */
  final_summary?: string | null;
}

/** A pause of the queue as stored; times are epoch milliseconds. */
export interface QueuePauseRecord {
  kind: PauseKind;
  reason: string;
  paused_at: number;
  paused_until: number;
  probe_task_id: number | null;
  probe_started_at: number | null;
}

/** What pauses the queue, and for how long from now. */
export interface PauseRequest {
  kind: PauseKind;
  reason: string;
  delayMs: number;
}

/** A run stopped by a usage limit: the task waits `delayMs`, and so does the queue. */
export interface LimitRecord {
  delayMs: number;
  /** The pause's reason, e.g. `usage limit reached (five_hour)`. */
  reason: string;
  /** The task's error_message while it waits. */
  message: string;
  stats?: Partial<RunStats>;
}

export interface NewLogLine {
  /** When the runner wrote it (its own clock, for display). */
  at: number;
  text: string;
}

/** A line on its way into the log of task `taskId`. */
export interface TaskLogLine extends NewLogLine {
  taskId: number;
}

export interface LogLine extends NewLogLine {
  id: number;
}

export type LogRange = { afterId: number; limit: number } | { tail: number };

/** How many tasks wait to run and how many run: what /health reports. */
export interface ActiveCounts {
  pending: number;
  running: number;
}

export interface ListFilter {
  status?: TaskStatus;
  /** Only tasks with an id below this (newest first paging). */
  beforeId?: number;
  /** Only tasks whose prompt holds this text, ignoring case (ASCII case on SQLite). */
  promptContains?: string;
  limit: number;
}

/** A task as the board lists it (see listBoardRows): the columns of its row, and only the head of its prompt. */
export interface BoardRowRecord {
  id: number;
  status: TaskStatus;
  /** The prompt's first PROMPT_HEAD_CHARS characters: enough to show its start and tell that it goes on. */
  prompt_head: string;
  working_directory: string;
  branch: string | null;
  last_action_cache: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  cost_usd: number | null;
}

export interface RetentionPolicy {
  /** Completed, cancelled and skipped tasks older than this are deleted (an orchestration once all of its are). */
  finishedMaxAgeMs: number;
  /** Failed tasks older than this are deleted (kept longer: they are looked at). */
  failedMaxAgeMs: number;
}

export type CancelOutcome =
  /** It was pending: it is now `cancelled`. */
  | 'cancelled'
  /** It is running: the flag is set; its runner stops it and writes `cancelled`. */
  | 'cancel_requested'
  /** It had already ended; nothing changed. */
  | 'already_ended';
