/**
 * The outbox: events recorded beside the ones the triggers write, and read
 * in id order by the event stream. An operation that records an event in
 * its own transaction (a queue pause, say) calls insertEvent inside its
 * `ctx.immediate`.
 */
import type { EventRecord, NewEvent } from '../event-records.js';
import { type EventRow, LAST_EVENT_ID, readEventsAfter, toEventRecord } from '../sql/events.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

export const INSERT_EVENT = `
  INSERT INTO events (at, type, task_id, orchestration_id, data)
  VALUES (@now, @type, @task_id, @orchestration_id, @data)
  RETURNING id`;

export function eventParams(ctx: SqliteContext, event: NewEvent) {
  return {
    now: ctx.now(),
    type: event.type,
    task_id: event.taskId ?? null,
    orchestration_id: event.orchestrationId ?? null,
    data: event.data ? JSON.stringify(event.data) : null,
  };
}

const READ_AFTER = readEventsAfter(SQLITE_DIALECT);

/** Records `event` in the transaction under way; returns its id. */
export function insertEvent(ctx: SqliteContext, event: NewEvent): number {
  return (ctx.statement(INSERT_EVENT).get(eventParams(ctx, event)) as { id: number }).id;
}

export function recordEvent(ctx: SqliteContext, event: NewEvent): number {
  return ctx.immediate(() => insertEvent(ctx, event));
}

export function readEvents(ctx: SqliteContext, afterId: number, limit: number): EventRecord[] {
  return (ctx.statement(READ_AFTER).all({ after_id: afterId, limit }) as EventRow[]).map(toEventRecord);
}

export function lastEventId(ctx: SqliteContext): number {
  return (ctx.statement(LAST_EVENT_ID).get() as { id: number }).id;
}
