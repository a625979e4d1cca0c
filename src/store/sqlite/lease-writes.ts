/** Writes a runner makes while it owns a task: spawn record, progress, heartbeats. All fenced. */
import type Database from 'better-sqlite3';
import type { AgentProcessInfo, HeartbeatResult, Lease, TaskProgress } from '../task-store.js';
import { FENCE } from './row.js';

export function leaseWriteOperations(db: Database.Database) {
  const spawn = db.prepare(`
    UPDATE task_attempts SET agent_pid = @pid, agent_pgid = @pgid, agent_start_time = @procStartTime
     WHERE task_id = @taskId AND lease_token = @token AND ended_at IS NULL
       AND EXISTS (SELECT 1 FROM tasks WHERE ${FENCE})`);
  const progress = db.prepare(`
    UPDATE tasks SET last_action_cache = COALESCE(@last_action_cache, last_action_cache),
                     session_id = COALESCE(@session_id, session_id),
                     api_key_source = COALESCE(@api_key_source, api_key_source)
     WHERE ${FENCE}`);
  const extend = db.prepare<Record<string, unknown>, { cancel_requested_at: number | null }>(`
    UPDATE tasks SET lease_expires_at = @expires WHERE ${FENCE} RETURNING cancel_requested_at`);
  const beatAll = db.transaction((leases: readonly Lease[], expires: number): HeartbeatResult[] =>
    leases.map((lease) => {
      const row = extend.get({ ...lease, expires });
      return { taskId: lease.taskId, owned: row !== undefined, cancelRequested: row?.cancel_requested_at != null };
    }),
  );

  return {
    recordSpawn: (lease: Lease, agent: AgentProcessInfo): boolean => spawn.run({ ...lease, ...agent }).changes > 0,
    recordProgress: (lease: Lease, p: TaskProgress): boolean =>
      progress.run({
        ...lease,
        last_action_cache: p.last_action_cache ?? null,
        session_id: p.session_id ?? null,
        api_key_source: p.api_key_source ?? null,
      }).changes > 0,
    heartbeat: (leases: readonly Lease[], leaseMs: number, now: number): HeartbeatResult[] =>
      leases.length === 0 ? [] : beatAll.immediate(leases, now + leaseMs),
  };
}
