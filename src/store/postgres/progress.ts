/** What a runner records while its agent works (fenced by the lease). */
import * as taskSql from '../sql/tasks.js';
import type { AgentProcessInfo, Lease, TaskProgress, MergeRecord, WorkspaceProgress } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

export async function recordSpawn(ctx: PostgresContext, lease: Lease, agent: AgentProcessInfo): Promise<boolean> {
  return (await ctx.run(taskSql.RECORD_SPAWN, taskSql.spawnParams(lease, agent))) === 1;
}

export async function recordProgress(ctx: PostgresContext, lease: Lease, progress: TaskProgress): Promise<boolean> {
  return (await ctx.run(taskSql.RECORD_PROGRESS, taskSql.progressParams(lease, progress))) === 1;
}

export async function recordWorkspace(ctx: PostgresContext, lease: Lease, workspace: WorkspaceProgress): Promise<boolean> {
  return (await ctx.run(taskSql.RECORD_WORKSPACE, taskSql.workspaceParams(lease, workspace))) === 1;
}

const RECORD_MERGE = taskSql.recordMerge(POSTGRES_DIALECT);

export async function recordMerge(ctx: PostgresContext, taskId: number, merge: MergeRecord): Promise<boolean> {
  return (await ctx.run(RECORD_MERGE, { task_id: taskId, merge_commit: merge.merge_commit })) === 1;
}
