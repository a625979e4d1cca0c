/** The queue pause: set, lift, read, the probe getting through, and the day's spend it is decided from. */
import type { NewEvent } from '../event-records.js';
import { pauseStatements, queuePausedEvent, queueResumedEvent } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { eventParams, INSERT_EVENT } from './events.js';

const PAUSE = pauseStatements(SQLITE_DIALECT);

export function readQueuePause(ctx: SqliteContext): QueuePauseRecord | null {
  return (ctx.statement(PAUSE.read).get() as QueuePauseRecord | undefined) ?? null;
}

export function pauseQueue(ctx: SqliteContext, request: PauseRequest): QueuePauseRecord {
  return ctx.immediate(() => {
    ctx.statement(PAUSE.pause).run(pauseParams(request, ctx.now()));
    return recordPaused(ctx);
  });
}

/** In the caller's transaction, after the pause statement: the pause as it now stands, recorded in the outbox. */
export function recordPaused(ctx: SqliteContext): QueuePauseRecord {
  const pause = readQueuePause(ctx)!;
  recordEventIn(ctx, queuePausedEvent(pause));
  return pause;
}

export function pauseParams(request: PauseRequest, now: number) {
  return { kind: request.kind, reason: request.reason, delay_ms: Math.max(0, Math.round(request.delayMs)), now };
}

/** Lifts the pause by hand; the tasks a limit sent back may start now. Returns the pause lifted, if any. */
export function resumeQueue(ctx: SqliteContext): QueuePauseRecord | null {
  return ctx.immediate(() => {
    const pause = readQueuePause(ctx);
    ctx.statement(PAUSE.lift).run();
    ctx.statement(PAUSE.releaseDeferred).run({ now: ctx.now() });
    if (pause) recordEventIn(ctx, queueResumedEvent('resume'));
    return pause;
  });
}

export function probeGotThrough(ctx: SqliteContext, taskId: number): boolean {
  return ctx.immediate(() => {
    const through = ctx.statement(PAUSE.probeThrough).run({ task_id: taskId, now: ctx.now() }).changes > 0;
    if (through) recordEventIn(ctx, queueResumedEvent('probe_got_through', taskId));
    return through;
  });
}

export function recordEventIn(ctx: SqliteContext, event: NewEvent): void {
  ctx.statement(INSERT_EVENT).get(eventParams(ctx, event));
}

export function spentToday(ctx: SqliteContext): number {
  return (ctx.statement(PAUSE.spentToday).get({ now: ctx.now() }) as { spent: number }).spent;
}
