/** The queue pause: set, lift, read, the probe getting through, and the day's spend it is decided from. */
import { pauseStatements, queuePausedEvent, queueResumedEvent } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import { eventParams, RECORD_EVENT } from './events.js';
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
    return recordPaused(tx);
  });
}

/**
 * In the caller's transaction, after the pause statement: the pause as it
 * now stands, recorded in the outbox. Last in the transaction: recording
 * takes the outbox lock, held to the commit.
 */
export async function recordPaused(tx: Sql): Promise<QueuePauseRecord> {
  const pause = (await readQueuePause(tx))!;
  await tx.rows(RECORD_EVENT, eventParams(queuePausedEvent(pause)));
  return pause;
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
    if (pause) await tx.rows(RECORD_EVENT, eventParams(queueResumedEvent('resume')));
    return pause;
  });
}

export async function probeGotThrough(ctx: PostgresContext, taskId: number): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const through = (await tx.run(PAUSE.probeThrough, { task_id: taskId })) > 0;
    if (through) await tx.rows(RECORD_EVENT, eventParams(queueResumedEvent('probe_got_through', taskId)));
    return through;
  });
}

export async function spentToday(ctx: PostgresContext): Promise<number> {
  const [row] = await ctx.rows<{ spent: number | string }>(PAUSE.spentToday);
  return Number(row!.spent);
}
