/**
 * Where a new task will work, settled at submit: its isolation and the commit
 * it starts from, so a later commit to the repository does not move it. Bad
 * requests (a base that names nothing, a worktree without a repository) are
 * validation issues, reported before anything is stored.
 */
import type { ValidationIssue } from '../core/errors.js';
import type { Isolation } from '../core/task.js';
import { findRepository, resolveCommit, snapshotUncommitted, type Repository } from '../workspace/repository.js';

/** The fields of a task input that choose its workspace; `working_directory` already checked. */
export interface WorkspaceRequest {
  working_directory: string;
  isolation?: Isolation | null | undefined;
  base?: string | null | undefined;
  include_uncommitted?: boolean | null | undefined;
}

export interface SettledWorkspace {
  isolation: Isolation;
  base_commit: string | null;
}

/**
 * The workspace of `request`, or the issues that refuse it (fields named
 * after `prefix`). `serverDefault` is CLAUDE_WORKER_ISOLATION; null: a
 * worktree wherever there is a commit to start from.
 */
export async function settleWorkspace(
  request: WorkspaceRequest,
  serverDefault: Isolation | null,
  prefix = '',
): Promise<{ workspace: SettledWorkspace; issues: ValidationIssue[] }> {
  const repository = await findRepository(request.working_directory);
  const chosen = request.isolation ?? serverDefault;
  const isolation = chosen ?? (repository?.hasCommits ? 'worktree' : 'none');
  const issue = (field: string, message: string) => [{ field: `${prefix}${field}`, message }];
  const none = { workspace: { isolation, base_commit: null }, issues: [] as ValidationIssue[] };
  if (isolation === 'none') {
    const given = request.base != null ? 'base' : request.include_uncommitted ? 'include_uncommitted' : null;
    return given ? { ...none, issues: issue(given, `applies only to isolation worktree (this task has isolation none)`) } : none;
  }
  const origin = request.isolation ? 'isolation worktree' : 'CLAUDE_WORKER_ISOLATION=worktree';
  const unusable = repositoryProblem(request.working_directory, repository, origin);
  if (unusable) return { ...none, issues: issue(request.isolation ? 'isolation' : 'working_directory', unusable) };
  const base = await baseCommit(repository!.root, request);
  if (typeof base !== 'string') return { ...none, issues: issue(base.field, base.message) };
  return { workspace: { isolation, base_commit: base }, issues: [] };
}

function repositoryProblem(dir: string, repository: Repository | null, origin: string): string | null {
  if (!repository) {
    return `${origin} needs a git repository, and ${dir} is not inside one; use isolation none to run in place`;
  }
  if (!repository.hasCommits) {
    return `${origin} needs a commit to start from, and the repository at ${repository.root} has none; commit first or use isolation none`;
  }
  return null;
}

async function baseCommit(root: string, request: WorkspaceRequest): Promise<string | ValidationIssue> {
  if (request.include_uncommitted) {
    if (request.base != null) {
      return {
        field: 'base',
        message: 'cannot be combined with include_uncommitted, which starts from HEAD and the changes on it',
      };
    }
    return (await snapshotUncommitted(root)) ?? (await resolveCommit(root, 'HEAD'))!;
  }
  const ref = request.base ?? 'HEAD';
  const commit = await resolveCommit(root, ref);
  return commit ?? { field: 'base', message: `"${ref}" names no commit in the repository at ${root}` };
}
