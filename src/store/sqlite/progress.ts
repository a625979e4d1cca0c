/** What a runner records while its agent works (fenced by the lease; not fsynced, see SqliteContext.relaxed). */
import { progressParams, RECORD_PROGRESS, RECORD_SPAWN, RECORD_WORKSPACE, spawnParams, workspaceParams } from '../sql/tasks.js';
import type { AgentProcessInfo, Lease, TaskProgress, WorkspaceProgress } from '../task-store.js';
import type { SqliteContext } from './context.js';

export function recordSpawn(ctx: SqliteContext, lease: Lease, agent: AgentProcessInfo): boolean {
  return ctx.relaxed(() => ctx.statement(RECORD_SPAWN).run(spawnParams(lease, agent)).changes === 1);
}

export function recordProgress(ctx: SqliteContext, lease: Lease, progress: TaskProgress): boolean {
  return ctx.relaxed(() => ctx.statement(RECORD_PROGRESS).run(progressParams(lease, progress)).changes === 1);
}

/** Fsynced, unlike progress: a restart must find the worktree and branch again. */
export function recordWorkspace(ctx: SqliteContext, lease: Lease, workspace: WorkspaceProgress): boolean {
  return ctx.statement(RECORD_WORKSPACE).run(workspaceParams(lease, workspace)).changes === 1;
}
