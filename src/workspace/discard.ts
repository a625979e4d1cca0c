/**
 * Removes a task's worktree and branch, but never work that exists nowhere
 * else. A worktree with uncommitted changes (untracked files included) is
 * always kept: `git worktree remove` is never given `--force`, which is the
 * way peers' users lost work. A branch is deleted only when every commit on
 * it beyond the task's base is also on another local branch, or when the
 * caller forces it. The base itself may be a snapshot commit on no branch
 * (`git stash create` of a person's uncommitted edits), so it does not count
 * as the task's work. `git worktree prune` first forgets worktrees whose
 * directory was deleted by hand, so their branch can be deleted too.
 */
import { branchHead, changedPaths } from './commits.js';
import { BranchNotFoundError, UncommittedWorkError, UnmergedBranchError } from './errors.js';
import { git } from './git-command.js';
import { uncommittedPaths } from './status.js';
import { worktreeAt } from './worktrees.js';

export interface DiscardRequest {
  worktreePath: string;
  branch: string;
  /** The commit the task started from. */
  base: string;
  /** Delete the branch even when it holds commits no other branch has. */
  force?: boolean;
}

export interface DiscardResult {
  removedWorktree: boolean;
  deletedBranch: boolean;
}

export async function discardWorkspace(repoRoot: string, request: DiscardRequest): Promise<DiscardResult> {
  const { branch, base } = request;
  await git(repoRoot, ['worktree', 'prune']);
  const worktree = await worktreeAt(repoRoot, request.worktreePath);
  if (worktree) {
    const uncommitted = await uncommittedPaths(worktree.path);
    if (uncommitted.length > 0) throw new UncommittedWorkError(worktree.path, uncommitted);
  }
  const head = await branchHead(repoRoot, branch).catch((error: unknown) => {
    if (error instanceof BranchNotFoundError) return null;
    throw error;
  });
  if (head && !request.force) {
    const { stdout } = await git(repoRoot, ['rev-list', '--count', head, '--not', base, `--exclude=${branch}`, '--branches']);
    const unmerged = Number(stdout.trim());
    if (unmerged > 0) throw new UnmergedBranchError(branch, unmerged, await changedPaths(repoRoot, base, head));
  }
  if (worktree) await git(repoRoot, ['worktree', 'remove', worktree.path]);
  if (head) await git(repoRoot, ['branch', '-D', '--', branch]);
  return { removedWorktree: worktree !== undefined, deletedBranch: head !== null };
}
