/**
 * A sender's leases on webhook deliveries: taking the due ones, and settling
 * each once it was sent or failed; and how many are still owed.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryLease, DeliveryOutcome, WebhookDelivery } from '../event-records.js';
import {
  dueDeliveries,
  eventColumns,
  type EventRow,
  leaseDeliveries,
  markDelivered,
  markFailed,
  toEventRecord,
  WEBHOOK_BACKLOG,
} from '../sql/events.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const DUE = dueDeliveries(SQLITE_DIALECT, '');
const LEASE = leaseDeliveries(SQLITE_DIALECT, DUE, '(@now + @lease_ms)');
const EVENTS = `SELECT ${eventColumns(SQLITE_DIALECT)} FROM events WHERE id IN (SELECT value FROM json_each(@ids))`;
const DELIVERED = markDelivered(SQLITE_DIALECT);
const FAILED = markFailed(SQLITE_DIALECT, '(@now + @retry_delay_ms)', '(created_at + @retry_window_ms)');

interface LeasedRow {
  id: number;
  event_id: number;
  url: string;
  attempts: number;
}

export function claimWebhookDeliveries(ctx: SqliteContext, leaseMs: number, limit: number): WebhookDelivery[] {
  // Every sending process asks every second: when nothing is due, the answer takes no write lock.
  if (ctx.statement(DUE).all({ limit: 1, now: ctx.now() }).length === 0) return [];
  const token = randomUUID();
  return ctx.immediate(() => {
    const leased = ctx.statement(LEASE).all({ token, lease_ms: leaseMs, limit, now: ctx.now() }) as LeasedRow[];
    if (leased.length === 0) return [];
    const rows = ctx.statement(EVENTS).all({ ids: JSON.stringify(leased.map((row) => row.event_id)) }) as EventRow[];
    const events = new Map(rows.map((row) => [Number(row.id), toEventRecord(row)]));
    return leased
      .sort((a, b) => a.id - b.id)
      .map((row) => ({ id: row.id, token, url: row.url, attempts: row.attempts, event: events.get(row.event_id)! }));
  });
}

export function settleWebhookDelivery(ctx: SqliteContext, lease: DeliveryLease, outcome: DeliveryOutcome): boolean {
  const held = { id: lease.id, token: lease.token, now: ctx.now() };
  const result = outcome.delivered
    ? ctx.statement(DELIVERED).run(held)
    : ctx.statement(FAILED).run({
        ...held,
        error: outcome.error,
        retry_delay_ms: outcome.retryDelayMs,
        retry_window_ms: outcome.retryWindowMs,
      });
  return result.changes > 0;
}

export function webhookBacklog(ctx: SqliteContext): number {
  return (ctx.statement(WEBHOOK_BACKLOG).get() as { count: number }).count;
}
