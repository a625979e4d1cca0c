/**
 * When a task runs again after a run that was not its fault: a transient
 * failure is retried with exponential backoff while attempts are left; a
 * usage limit waits for its reset, or, when none was given, for a backoff
 * that grows with each hit. Jitter spreads the retries of many tasks (and
 * of many nodes) that failed at the same moment.
 */
import type { AgentRunResult } from '../agents/agent.js';

const RETRY_CAP_MS = 10 * 60_000;
const LIMIT_CAP_MS = 15 * 60_000;

export interface Backoffs {
  /** The first retry's backoff after a transient failure. */
  retryBaseMs: number;
  /** The first wait after a usage limit without a reset time. */
  limitBaseMs: number;
}

/** `base` doubled for each step after the first, capped, then scaled by a random factor in [0.5, 1). */
export function backoffMs(baseMs: number, step: number, capMs: number, random: () => number = Math.random): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, step - 1));
  return Math.round(full * (0.5 + random() / 2));
}

/**
 * How long before a failed run is tried again, or null when it is not: only
 * transient failures, while attempts are left.
 */
export function retryDelayMs(result: AgentRunResult, attempt: number, maxAttempts: number, backoffs: Backoffs): number | null {
  if (result.outcome !== 'failed' || !result.transient || attempt >= maxAttempts) return null;
  return backoffMs(backoffs.retryBaseMs, attempt, RETRY_CAP_MS);
}

/** How long a task (and the queue) waits after a usage limit: until its reset, else a backoff by earlier hits. */
export function limitDelayMs(resetsAt: number | null, limitHits: number, backoffs: Backoffs, now: number = Date.now()): number {
  if (resetsAt !== null) return Math.max(0, resetsAt - now);
  return backoffMs(backoffs.limitBaseMs, limitHits + 1, LIMIT_CAP_MS);
}
