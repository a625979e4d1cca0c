/** What a runner records while its agent works (fenced by the lease; not fsynced, see SqliteContext.relaxed). */
import * as taskSql from '../sql/tasks.js';
import type { AgentProcessInfo, Lease, TaskProgress, MergeRecord, WorkspaceProgress } from '../task-store.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

export function recordSpawn(ctx: SqliteContext, lease: Lease, agent: AgentProcessInfo): boolean {
  return ctx.relaxed(() => ctx.statement(taskSql.RECORD_SPAWN).run(taskSql.spawnParams(lease, agent)).changes === 1);
}

export function recordProgress(ctx: SqliteContext, lease: Lease, progress: TaskProgress): boolean {
  return ctx.relaxed(() => ctx.statement(taskSql.RECORD_PROGRESS).run(taskSql.progressParams(lease, progress)).changes === 1);
}

/** Fsynced, unlike progress: a restart must find the worktree and branch again. */
export function recordWorkspace(ctx: SqliteContext, lease: Lease, workspace: WorkspaceProgress): boolean {
  return ctx.statement(taskSql.RECORD_WORKSPACE).run(taskSql.workspaceParams(lease, workspace)).changes === 1;
}

const RECORD_MERGE = taskSql.recordMerge(SQLITE_DIALECT);

export function recordMerge(ctx: SqliteContext, taskId: number, merge: MergeRecord): boolean {
  return ctx.statement(RECORD_MERGE).run({ task_id: taskId, merge_commit: merge.merge_commit, now: ctx.now() }).changes === 1;
}
