/** Renewing the leases of a runner's tasks, and telling it which ones to stop. */
import type { HeartbeatResult, Lease } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { msInterval } from './row.js';

// A lease that expired but was not reaped yet is still owned, and renewing it
// is what keeps it. A row the reaper has locked waits for the reaper's
// commit, and then no longer matches.
const RENEW = `
  UPDATE tasks t
     SET lease_expires_at = now() + ${msInterval('@lease_ms')}
    FROM unnest(@task_ids::bigint[], @tokens::text[]) AS l (task_id, token)
   WHERE t.id = l.task_id AND t.lease_token = l.token AND t.status = 'running'
  RETURNING t.id, t.lease_token, t.cancel_requested_at IS NOT NULL AS cancel_requested`;

/** One statement for all leases: one round trip and one commit per beat, however many tasks the runner has. */
export async function heartbeat(ctx: PostgresContext, leases: readonly Lease[], leaseMs: number): Promise<HeartbeatResult[]> {
  if (leases.length === 0) return [];
  const renewed = await ctx.rows<{ id: number; lease_token: string; cancel_requested: boolean }>(RENEW, {
    lease_ms: leaseMs,
    task_ids: leases.map((lease) => lease.taskId),
    tokens: leases.map((lease) => lease.token),
  });
  const cancelRequested = new Map(renewed.map((row) => [leaseKey(row.id, row.lease_token), row.cancel_requested]));
  return leases.map((lease) => {
    const cancel = cancelRequested.get(leaseKey(lease.taskId, lease.token));
    return { taskId: lease.taskId, owned: cancel !== undefined, cancelRequested: cancel === true };
  });
}

function leaseKey(taskId: number, token: string): string {
  return `${taskId}:${token}`;
}
