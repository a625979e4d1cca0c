/**
 * A pause of the whole queue: no runner on the database claims a task until
 * `paused_until`. A usage limit of the credential pauses it until the limit
 * resets; the daily budget until the next UTC midnight. At the end of a
 * pause one task goes first (the probe); the others start once it gets
 * through.
 */
export const PAUSE_KINDS = ['usage_limit', 'daily_budget'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface QueuePause {
  kind: PauseKind;
  /** In words, e.g. `usage limit reached (five_hour)`. */
  reason: string;
  paused_at: string;
  paused_until: string;
  /** The task that went first after `paused_until`, while the others wait for it to get through. */
  probe_task_id: number | null;
}

/** "usage limit reached (five_hour)": a usage limit's pause reason, `limitType` as Claude Code names it. */
export function describeLimit(limitType: string | null): string {
  return `usage limit reached${limitType ? ` (${limitType})` : ''}`;
}

/**
 * "at 14:05 (in 2 h 13 min)": when a pause or wait ends, in the reader's
 * local time, and how far off that is from `now`.
 */
export function describeWhen(until: Date, now: Date = new Date()): string {
  const clock = until.toTimeString().slice(0, 5);
  const sameDay = until.toDateString() === now.toDateString();
  const at = sameDay ? clock : `${until.toISOString().slice(0, 10)} ${clock}`;
  return `at ${at} (${describeDistance(until.getTime() - now.getTime())})`;
}

function describeDistance(ms: number): string {
  if (ms <= 0) return 'now';
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes === 0) return `in ${Math.ceil(ms / 1000)} s`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours === 0 ? `in ${minutes} min` : `in ${hours} h ${minutes} min`;
}

/** The pause in one line, for `server status` and `workers`. */
export function describePause(pause: Pick<QueuePause, 'reason' | 'paused_until'>, now: Date = new Date()): string {
  const until = new Date(pause.paused_until);
  const when =
    until.getTime() > now.getTime()
      ? `no task starts until ${describeWhen(until, now).replace(/^at /, '')}`
      : 'one task runs first; the others start once it gets through';
  return `queue paused: ${pause.reason}; ${when} (claude-worker resume lifts the pause)`;
}

/** Why a pending task waits, when it waits for a time: a usage limit's reset or a retry's backoff. */
export function describeWait(
  task: { status: string; error_code: string | null; not_before: string | null },
  now: Date = new Date(),
): string | null {
  if (task.status !== 'pending' || task.not_before === null) return null;
  const until = new Date(task.not_before);
  if (until.getTime() <= now.getTime()) return null;
  if (task.error_code === 'usage_limit') return `waiting for the usage limit to reset ${describeWhen(until, now)}`;
  return `waiting to retry ${describeWhen(until, now)}`;
}
