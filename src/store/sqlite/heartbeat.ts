/** Renewing the leases of a runner's tasks, and telling it which ones to stop. */
import type { HeartbeatResult, Lease } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { leaseParams, OWNED_BY_LEASE } from './row.js';

const RENEW = `
  UPDATE tasks SET lease_expires_at = @expires_at
   WHERE ${OWNED_BY_LEASE}
  RETURNING cancel_requested_at`;

/**
 * One transaction for all leases: one lock per beat, however many tasks the
 * runner has, and no fsync (a lease matters to live processes only). A lease
 * that expired but was not reaped yet is still owned, and renewing it is what
 * keeps it.
 */
export function heartbeat(ctx: SqliteContext, leases: readonly Lease[], leaseMs: number): HeartbeatResult[] {
  if (leases.length === 0) return [];
  return ctx.relaxed(() =>
    ctx.immediate(() => {
      const expiresAt = ctx.now() + leaseMs;
      return leases.map((lease) => {
        const renewed = ctx.statement(RENEW).get({ ...leaseParams(lease), expires_at: expiresAt }) as
          { cancel_requested_at: number | null } | undefined;
        return {
          taskId: lease.taskId,
          owned: renewed !== undefined,
          cancelRequested: renewed !== undefined && renewed.cancel_requested_at !== null,
        };
      });
    }),
  );
}
