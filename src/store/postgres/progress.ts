/** What a runner records while its agent works (fenced by the lease). */
import type { AgentProcessInfo, Lease, TaskProgress } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { leaseParams, OWNED_BY_LEASE } from './row.js';

const RECORD_SPAWN = `
  UPDATE task_attempts
     SET agent_pid = @pid, agent_pgid = @pgid, agent_start_time = @start_time
   WHERE task_id = @task_id AND lease_token = @token
     AND EXISTS (SELECT 1 FROM tasks WHERE ${OWNED_BY_LEASE})`;

export async function recordSpawn(ctx: PostgresContext, lease: Lease, agent: AgentProcessInfo): Promise<boolean> {
  const changed = await ctx.run(RECORD_SPAWN, {
    ...leaseParams(lease),
    pid: agent.pid,
    pgid: agent.pgid,
    start_time: agent.procStartTime,
  });
  return changed === 1;
}

const RECORD_PROGRESS = `
  UPDATE tasks
     SET last_action_cache = COALESCE(@last_action_cache, last_action_cache),
         session_id = COALESCE(@session_id, session_id),
         api_key_source = COALESCE(@api_key_source, api_key_source)
   WHERE ${OWNED_BY_LEASE}`;

export async function recordProgress(ctx: PostgresContext, lease: Lease, progress: TaskProgress): Promise<boolean> {
  const changed = await ctx.run(RECORD_PROGRESS, {
    ...leaseParams(lease),
    last_action_cache: progress.last_action_cache ?? null,
    session_id: progress.session_id ?? null,
    api_key_source: progress.api_key_source ?? null,
  });
  return changed === 1;
}
