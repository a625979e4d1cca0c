/**
 * The queue pause: set, lift, read, the probe getting through, and the day's
 * spend it is decided from. Each change of the pause is recorded in the
 * outbox in its own transaction (queue.paused, queue.resumed), as the last
 * statement of it (see events.ts).
 */
import { type PauseBefore, pausedEvent, type PauseWritten, pauseStatements, resumedEvent } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import { recordEvent } from './events.js';
import type { PostgresContext, Sql } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const PAUSE = pauseStatements(POSTGRES_DIALECT);
// Locked, so that of two writers the second sees what the first made of the pause.
const READ_BEFORE = `${PAUSE.readBefore} FOR UPDATE`;

type PauseRow = QueuePauseRecord & { probe_task_id: string | number | null };

function toPause(row: PauseRow | undefined): QueuePauseRecord | null {
  return row ? { ...row, probe_task_id: row.probe_task_id === null ? null : Number(row.probe_task_id) } : null;
}

export async function readQueuePause(sql: Sql): Promise<QueuePauseRecord | null> {
  return toPause((await sql.rows<PauseRow>(PAUSE.read))[0]);
}

export async function pauseQueue(ctx: PostgresContext, request: PauseRequest): Promise<QueuePauseRecord> {
  return ctx.transaction(async (tx) => {
    const { pause, news } = await writePause(tx, pauseParams(request));
    if (news) await recordEvent(tx, news);
    return pause;
  });
}

export function pauseParams(request: PauseRequest) {
  return { kind: request.kind, reason: request.reason, delay_ms: Math.max(0, Math.round(request.delayMs)) };
}

/** Inside a transaction: pauses. Returns the pause, and the queue.paused event to record when that is news. */
export async function writePause(tx: Sql, params: ReturnType<typeof pauseParams>): Promise<PauseWritten> {
  const [before] = await tx.rows<PauseBefore>(READ_BEFORE);
  await tx.run(PAUSE.pause, params);
  const pause = (await readQueuePause(tx))!;
  return { pause, news: pausedEvent(before, pause) };
}

/** Lifts the pause by hand; the tasks a limit sent back may start now. Returns the pause lifted, if any. */
export async function resumeQueue(ctx: PostgresContext): Promise<QueuePauseRecord | null> {
  return ctx.transaction(async (tx) => {
    const lifted = toPause((await tx.rows<PauseRow>(PAUSE.lift))[0]);
    await tx.run(PAUSE.releaseDeferred);
    if (lifted) await recordEvent(tx, resumedEvent(lifted, 'resume'));
    return lifted;
  });
}

export async function probeGotThrough(ctx: PostgresContext, taskId: number): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const lifted = toPause((await tx.rows<PauseRow>(PAUSE.probeThrough, { task_id: taskId }))[0]);
    if (lifted) await recordEvent(tx, resumedEvent(lifted, 'probe'));
    return lifted !== null;
  });
}

export async function spentToday(ctx: PostgresContext): Promise<number> {
  const [row] = await ctx.rows<{ spent: number | string }>(PAUSE.spentToday);
  return Number(row!.spent);
}
