/**
 * The queue pause: set, lift, read, the probe getting through, and the day's
 * spend it is decided from. Each change of the pause is recorded in the
 * outbox in its own transaction (queue.paused, queue.resumed).
 */
import { type PauseBefore, pausedEvent, type PauseWritten, pauseStatements, resumedEvent } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { insertEvent } from './events.js';

const PAUSE = pauseStatements(SQLITE_DIALECT);

export function readQueuePause(ctx: SqliteContext): QueuePauseRecord | null {
  return (ctx.statement(PAUSE.read).get() as QueuePauseRecord | undefined) ?? null;
}

export function pauseQueue(ctx: SqliteContext, request: PauseRequest): QueuePauseRecord {
  return ctx.immediate(() => {
    const { pause, news } = writePause(ctx, pauseParams(request, ctx.now()));
    if (news) insertEvent(ctx, news);
    return pause;
  });
}

export function pauseParams(request: PauseRequest, now: number) {
  return { kind: request.kind, reason: request.reason, delay_ms: Math.max(0, Math.round(request.delayMs)), now };
}

/** Inside a transaction: pauses. Returns the pause, and the queue.paused event to record when that is news. */
export function writePause(ctx: SqliteContext, params: ReturnType<typeof pauseParams>): PauseWritten {
  const before = ctx.statement(PAUSE.readBefore).get({ now: params.now }) as PauseBefore | undefined;
  ctx.statement(PAUSE.pause).run(params);
  const pause = readQueuePause(ctx)!;
  return { pause, news: pausedEvent(before, pause) };
}

/** Lifts the pause by hand; the tasks a limit sent back may start now. Returns the pause lifted, if any. */
export function resumeQueue(ctx: SqliteContext): QueuePauseRecord | null {
  return ctx.immediate(() => {
    const lifted = (ctx.statement(PAUSE.lift).get() as QueuePauseRecord | undefined) ?? null;
    ctx.statement(PAUSE.releaseDeferred).run({ now: ctx.now() });
    if (lifted) insertEvent(ctx, resumedEvent(lifted, 'resume'));
    return lifted;
  });
}

export function probeGotThrough(ctx: SqliteContext, taskId: number): boolean {
  return ctx.immediate(() => {
    const lifted = ctx.statement(PAUSE.probeThrough).get({ task_id: taskId, now: ctx.now() }) as QueuePauseRecord | undefined;
    if (lifted) insertEvent(ctx, resumedEvent(lifted, 'probe'));
    return lifted !== undefined;
  });
}

export function spentToday(ctx: SqliteContext): number {
  return (ctx.statement(PAUSE.spentToday).get({ now: ctx.now() }) as { spent: number }).spent;
}
