/**
 * How the end of a run reads: in the task's log (what happened, and what
 * comes of it: a wait for a usage limit, a retry) and in the message of the
 * commit of its worktree.
 */
import type { AgentRunResult } from '../agents/agent.js';
import { describeWhen } from '../core/queue-pause.js';
import type { ClaimedTask } from '../store/task-store.js';

export type StopReason = 'cancel' | 'timeout' | 'shutdown' | 'lease_lost';

/** How the agent's run ended, for the message of claude-worker's commit. */
export function outcomeWord(result: AgentRunResult, reason: StopReason | null): string {
  if (result.outcome === 'completed') return 'completed';
  if (result.outcome === 'failed') return `failed (${result.code})`;
  if (result.outcome === 'limited') return 'paused by a usage limit';
  const words: Record<StopReason, string> = {
    cancel: 'cancelled',
    timeout: 'timed out',
    shutdown: 'released at shutdown',
    lease_lost: 'stopped: lease lost',
  };
  return reason ? words[reason] : 'stopped';
}

export function describeEnd(result: AgentRunResult, reason: StopReason | null, timeoutSeconds: number): string {
  if (result.outcome === 'completed') return 'completed';
  if (result.outcome === 'limited') return `paused: ${result.message}`;
  if (result.outcome === 'failed') return `failed (${result.code}): ${result.message}`;
  switch (reason) {
    case 'cancel':
      return 'cancelled: the agent was stopped';
    case 'timeout':
      return `failed (timeout): stopped after ${timeoutSeconds} s`;
    case 'shutdown':
      return 'released: the runner is shutting down; the task will run again';
    default:
      return 'stopped: this runner lost its lease on the task';
  }
}

/** What comes of the run for the task, after its end in the log: a wait for a limit, a retry, or none left. */
export function describeAgain(result: AgentRunResult, again: number | null, claimed: ClaimedTask): string {
  if (result.outcome === 'limited') {
    return `; waiting for the usage limit to reset ${describeWhen(new Date(Date.now() + again!))}; no task starts until then`;
  }
  if (result.outcome !== 'failed' || !result.transient) return '';
  const { attempt, task } = claimed;
  if (again === null) return `; not retried: no attempts left (${attempt} of ${task.max_attempts})`;
  return `; retrying in ${Math.ceil(again / 1000)} s (attempt ${attempt + 1} of ${task.max_attempts}), as the failure is transient`;
}
