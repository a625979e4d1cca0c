/** The queue pause: set, lift, read, the probe getting through, and the day's spend it is decided from. */
import { pauseStatements } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import type { PostgresContext, Sql } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const PAUSE = pauseStatements(POSTGRES_DIALECT);

export async function readQueuePause(sql: Sql): Promise<QueuePauseRecord | null> {
  const [row] = await sql.rows<QueuePauseRecord & { probe_task_id: string | number | null }>(PAUSE.read);
  return row ? { ...row, probe_task_id: row.probe_task_id === null ? null : Number(row.probe_task_id) } : null;
}

export async function pauseQueue(ctx: PostgresContext, request: PauseRequest): Promise<QueuePauseRecord> {
  return ctx.transaction(async (tx) => {
    await tx.run(PAUSE.pause, pauseParams(request));
    return (await readQueuePause(tx))!;
  });
}

export function pauseParams(request: PauseRequest) {
  return { kind: request.kind, reason: request.reason, delay_ms: Math.max(0, Math.round(request.delayMs)) };
}

/** Lifts the pause by hand; the tasks a limit sent back may start now. Returns the pause lifted, if any. */
export async function resumeQueue(ctx: PostgresContext): Promise<QueuePauseRecord | null> {
  return ctx.transaction(async (tx) => {
    const pause = await readQueuePause(tx);
    await tx.run(PAUSE.lift);
    await tx.run(PAUSE.releaseDeferred);
    return pause;
  });
}

export async function probeGotThrough(ctx: PostgresContext, taskId: number): Promise<boolean> {
  return (await ctx.run(PAUSE.probeThrough, { task_id: taskId })) > 0;
}

export async function spentToday(ctx: PostgresContext): Promise<number> {
  const [row] = await ctx.rows<{ spent: number | string }>(PAUSE.spentToday);
  return Number(row!.spent);
}
