/**
 * A sender's leases on webhook deliveries: taking the due ones (SKIP LOCKED,
 * so two nodes never take the same), and settling each once it was sent or
 * failed; and how many are still owed.
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
import type { PostgresContext } from './pool.js';
import { msInterval, POSTGRES_DIALECT } from './row.js';

const LEASE = leaseDeliveries(
  POSTGRES_DIALECT,
  dueDeliveries(POSTGRES_DIALECT, 'FOR UPDATE SKIP LOCKED'),
  `now() + ${msInterval('@lease_ms')}`,
);
const EVENTS = `SELECT ${eventColumns(POSTGRES_DIALECT)} FROM events WHERE id = ANY(@ids::bigint[])`;
const DELIVERED = markDelivered(POSTGRES_DIALECT);
const FAILED = markFailed(
  POSTGRES_DIALECT,
  `now() + ${msInterval('@retry_delay_ms')}`,
  `created_at + ${msInterval('@retry_window_ms')}`,
);

interface LeasedRow {
  id: number;
  event_id: number;
  url: string;
  attempts: number;
}

export async function claimWebhookDeliveries(ctx: PostgresContext, leaseMs: number, limit: number): Promise<WebhookDelivery[]> {
  const token = randomUUID();
  return ctx.transaction(async (tx) => {
    const leased = await tx.rows<LeasedRow>(LEASE, { token, lease_ms: leaseMs, limit });
    if (leased.length === 0) return [];
    const rows = await tx.rows<EventRow>(EVENTS, { ids: leased.map((row) => row.event_id) });
    const events = new Map(rows.map((row) => [Number(row.id), toEventRecord(row)]));
    return leased
      .map((row) => ({
        id: Number(row.id),
        token,
        url: row.url,
        attempts: row.attempts,
        event: events.get(Number(row.event_id))!,
      }))
      .sort((a, b) => a.id - b.id);
  });
}

export async function settleWebhookDelivery(
  ctx: PostgresContext,
  lease: DeliveryLease,
  outcome: DeliveryOutcome,
): Promise<boolean> {
  const held = { id: lease.id, token: lease.token };
  const changed = outcome.delivered
    ? await ctx.run(DELIVERED, held)
    : await ctx.run(FAILED, {
        ...held,
        error: outcome.error,
        retry_delay_ms: outcome.retryDelayMs,
        retry_window_ms: outcome.retryWindowMs,
      });
  return changed > 0;
}

export async function webhookBacklog(ctx: PostgresContext): Promise<number> {
  const [row] = await ctx.rows<{ count: string }>(WEBHOOK_BACKLOG);
  return Number(row!.count);
}
