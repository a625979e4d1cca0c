/**
 * What the runner needs from a coding agent. Claude Code is the one
 * implementation today; another CLI agent would implement the same contract.
 */
import type { FailureCode, PermissionMode, RunStats } from '../core/task.js';
import type { AgentProcessInfo } from '../core/worker.js';

export interface AgentRunRequest {
  taskId: number;
  attempt: number;
  prompt: string;
  /** Appended to the agent's own system prompt. */
  systemPrompt: string | null;
  model: string | null;
  permissionMode: PermissionMode;
  maxTurns: number | null;
  /** The agent stops once its estimated cost reaches this (the run fails with `max_budget`). */
  maxBudgetUsd: number | null;
  /** Absolute, existing directory. */
  cwd: string;
  /**
   * The session of an earlier attempt that was interrupted (its runner
   * stopped or died): the agent continues it when it can, else starts over.
   */
  resumeSessionId: string | null;
  /**
   * Set for a task that continues an ended one, when it has no interrupted
   * attempt of its own to resume: the agent continues that task's session
   * with `prompt` as the next message when the session is on this machine;
   * else it starts over with `startOverPrompt` and says so.
   */
  followUp?: FollowUp | null;
  /** The complete environment of the agent process (the user's, passed through). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborted by the runner on cancel, timeout or shutdown. The agent must then
   * stop its whole process tree and resolve with `aborted`.
   */
  signal: AbortSignal;
}

/** The ended task a follow-up continues, as its agent needs it. */
export interface FollowUp {
  taskId: number;
  /** Null when that task never got as far as a session. */
  sessionId: string | null;
  /** The prompt to start over with: the message, with what that task was asked and reported. */
  startOverPrompt: string;
}

/** A readable account of one step, for the summary log and `last_action_cache`. */
export interface AgentActivity {
  /** One line for the summary log, e.g. `[Write] src/auth.ts` or `[assistant] Done.` */
  line: string;
  /** Set when the step is a tool use: the new `last_action_cache`. */
  lastAction?: string;
  sessionId?: string;
  apiKeySource?: string;
}

export interface AgentObserver {
  /** The agent process started (its process group is the unit that gets killed). */
  onSpawn(process: AgentProcessInfo): void;
  /** Every raw protocol message, for the full JSONL log. */
  onMessage(message: unknown): void;
  onActivity(activity: AgentActivity): void;
  /** The model answered a request: the API takes this credential's requests (again). Called once per run. */
  onModelAnswered?(): void;
}

/**
 * How a run ended. `failed` with `transient`: not the task's fault (the API
 * failed for a moment, the agent crashed before its first tool use), worth
 * another attempt. `limited`: a usage or rate limit of the credential
 * stopped it; the task is not at fault and no other task can run either
 * until `resetsAt` (epoch ms; null when the agent did not say).
 */
export type AgentRunResult =
  | { outcome: 'completed'; summary: string; stats: RunStats }
  | {
      outcome: 'failed';
      code: FailureCode;
      message: string;
      summary: string | null;
      stats: Partial<RunStats>;
      transient?: boolean;
    }
  | { outcome: 'limited'; resetsAt: number | null; limitType: string | null; message: string; stats: Partial<RunStats> }
  | { outcome: 'aborted'; stats: Partial<RunStats> };

export interface Agent {
  /** Resolves (never rejects) once the agent's process tree is gone. */
  run(request: AgentRunRequest, observer: AgentObserver): Promise<AgentRunResult>;
  /** Loads what a first run would otherwise load while its task waits; resolves when done, never rejects. */
  warmUp?(): Promise<void>;
  /** Stops whatever the agent keeps running between tasks (processes started ahead of their tasks); the runner calls it last. */
  close?(): Promise<void>;
}
