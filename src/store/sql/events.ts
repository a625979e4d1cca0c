/**
 * Statements of the outbox (`events`, written by triggers on the tasks and
 * orchestrations, see the migrations) and of the webhook deliveries made
 * from it, that both databases run as they are.
 */
import type { Dialect } from '../dialect.js';
import type { EventRecord } from '../event-records.js';

/** The columns of an EventRow. */
export function eventColumns(d: Dialect): string {
  return `id, ${d.epochMs('at')} AS at, type, task_id, orchestration_id, data`;
}

export function readEventsAfter(d: Dialect): string {
  return `SELECT ${eventColumns(d)} FROM events WHERE id > @after_id ORDER BY id LIMIT @limit`;
}

export const LAST_EVENT_ID = `SELECT COALESCE(MAX(id), 0) AS id FROM events`;

export const READ_FAN_OUT_CURSOR = `SELECT last_event_id FROM webhook_fan_out WHERE id = 1`;

/** The last id of the next batch of events to fan out, or nothing when there are none. */
export const FAN_OUT_BATCH_END = `
  SELECT MAX(id) AS upto FROM (SELECT id FROM events WHERE id > @after_id ORDER BY id LIMIT @limit) AS batch`;

export const MOVE_FAN_OUT_CURSOR = `
  INSERT INTO webhook_fan_out (id, last_event_id) VALUES (1, @upto)
  ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id`;

/** SQL literals of `types`: the event types are constants of the code, never input. */
function typeList(types: readonly string[]): string {
  return types.map((type) => `'${type.replace(/'/g, "''")}'`).join(', ');
}

/**
 * One delivery per event of the batch and receiver: the server-wide URL,
 * the task's `webhook_url` and its orchestration's. A URL named twice for
 * one event gets one delivery (the unique key), and so does a batch fanned
 * out twice.
 */
export function fanOut(d: Dialect, types: readonly string[]): string {
  return `
  INSERT INTO webhook_deliveries (event_id, url, created_at, next_at)
  SELECT event_id, url, ${d.now}, ${d.now} FROM (
    SELECT e.id AS event_id, CAST(@server_url AS TEXT) AS url FROM events e
     WHERE e.id > @after_id AND e.id <= @upto AND e.type IN (${typeList(types)})
    UNION
    SELECT e.id, t.webhook_url FROM events e JOIN tasks t ON t.id = e.task_id
     WHERE e.id > @after_id AND e.id <= @upto AND e.type IN (${typeList(types)})
    UNION
    SELECT e.id, o.webhook_url FROM events e JOIN orchestrations o ON o.id = e.orchestration_id
     WHERE e.id > @after_id AND e.id <= @upto AND e.type IN (${typeList(types)})
  ) AS targets
  WHERE url IS NOT NULL
  ON CONFLICT (event_id, url) DO NOTHING`;
}

/** Deliveries still owed: neither delivered nor given up (leased ones included). */
export const WEBHOOK_BACKLOG = `SELECT count(*) AS count FROM webhook_deliveries WHERE delivered_at IS NULL AND given_up_at IS NULL`;

/** The deliveries due now, oldest first, not delivered nor given up; `lock` is the row-locking clause, if any. */
export function dueDeliveries(d: Dialect, lock: string): string {
  return `
  SELECT id FROM webhook_deliveries
   WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_at <= ${d.now}
   ORDER BY next_at, id
   LIMIT @limit ${lock}`;
}

/** Leases the deliveries named by `ids` (a subquery) until @lease_ms from now, counting the attempt. */
export function leaseDeliveries(d: Dialect, ids: string, leaseUntil: string): string {
  return `
  UPDATE webhook_deliveries
     SET lease_token = @token, next_at = ${leaseUntil}, attempts = attempts + 1
   WHERE id IN (${ids})
  RETURNING id, event_id, url, attempts`;
}

const HELD = `id = @id AND lease_token = @token AND delivered_at IS NULL AND given_up_at IS NULL`;

export function markDelivered(d: Dialect): string {
  return `UPDATE webhook_deliveries SET delivered_at = ${d.now}, lease_token = NULL, last_error = NULL WHERE ${HELD}`;
}

/** Another try later, or the end of trying once the retry window is over. */
export function markFailed(d: Dialect, retryAt: string, windowEnd: string): string {
  return `
  UPDATE webhook_deliveries
     SET lease_token = NULL, last_error = @error, next_at = ${retryAt},
         given_up_at = CASE WHEN ${retryAt} > ${windowEnd} THEN ${d.now} ELSE NULL END
   WHERE ${HELD}`;
}

export interface EventRow {
  id: number;
  at: number;
  type: string;
  task_id: number | null;
  orchestration_id: number | null;
  /** JSON text (SQLite) or already parsed (PostgreSQL's jsonb). */
  data: string | Record<string, unknown> | null;
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    id: Number(row.id),
    at: Number(row.at),
    type: row.type,
    task_id: row.task_id === null ? null : Number(row.task_id),
    orchestration_id: row.orchestration_id === null ? null : Number(row.orchestration_id),
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
  };
}
