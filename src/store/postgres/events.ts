/**
 * The outbox: events recorded beside the ones the triggers write, and read
 * in id order by the event stream. An operation that records an event in
 * its own transaction (a queue pause, say) calls recordEvent with that
 * transaction as the *last* statement of it: the function
 * takes the outbox lock that keeps ids in commit order, held to the commit,
 * and a transaction holding it must not wait for a row lock after it.
 */
import type { EventRecord, NewEvent } from '../event-records.js';
import { type EventRow, LAST_EVENT_ID, readEventsAfter, toEventRecord } from '../sql/events.js';
import type { PostgresContext, Sql } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

export const RECORD_EVENT = `SELECT claude_worker_record_event(@type, @task_id, @orchestration_id, @data::jsonb) AS id`;

export function eventParams(event: NewEvent) {
  return {
    type: event.type,
    task_id: event.taskId ?? null,
    orchestration_id: event.orchestrationId ?? null,
    data: event.data ? JSON.stringify(event.data) : null,
  };
}

const READ_AFTER = readEventsAfter(POSTGRES_DIALECT);

/** Records `event` on `sql`: the pool (a transaction of its own) or, last, in a transaction under way. */
export async function recordEvent(sql: Sql, event: NewEvent): Promise<number> {
  const [row] = await sql.rows<{ id: number }>(RECORD_EVENT, eventParams(event));
  return Number(row!.id);
}

export async function readEvents(ctx: PostgresContext, afterId: number, limit: number): Promise<EventRecord[]> {
  return (await ctx.rows<EventRow>(READ_AFTER, { after_id: afterId, limit })).map(toEventRecord);
}

export async function lastEventId(ctx: PostgresContext): Promise<number> {
  const [row] = await ctx.rows<{ id: number }>(LAST_EVENT_ID);
  return Number(row!.id);
}
