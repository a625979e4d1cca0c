/** The queue pause: set, lift, read, the probe getting through, and the day's spend it is decided from. */
import { pauseStatements } from '../sql/queue-pause.js';
import type { PauseRequest, QueuePauseRecord } from '../task-records.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const PAUSE = pauseStatements(SQLITE_DIALECT);

export function readQueuePause(ctx: SqliteContext): QueuePauseRecord | null {
  return (ctx.statement(PAUSE.read).get() as QueuePauseRecord | undefined) ?? null;
}

export function pauseQueue(ctx: SqliteContext, request: PauseRequest): QueuePauseRecord {
  return ctx.immediate(() => {
    ctx.statement(PAUSE.pause).run(pauseParams(request, ctx.now()));
    return readQueuePause(ctx)!;
  });
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
    return pause;
  });
}

export function probeGotThrough(ctx: SqliteContext, taskId: number): boolean {
  return ctx.statement(PAUSE.probeThrough).run({ task_id: taskId, now: ctx.now() }).changes > 0;
}

export function spentToday(ctx: SqliteContext): number {
  return (ctx.statement(PAUSE.spentToday).get({ now: ctx.now() }) as { spent: number }).spent;
}
