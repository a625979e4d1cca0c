/**
 * Merges a task's work into a branch without ever leaving a person's
 * checkout half-changed. The merge is computed first with
 * `git merge-tree --write-tree` and `git commit-tree`, which touch no working
 * tree or index, so a conflict changes nothing. Then the branch moves:
 * - checked out in some worktree (usually the person's own checkout): only
 *   through `git merge --ff-only` run in that checkout, which updates exactly
 *   the files that change, and only after checking that none of those has
 *   uncommitted edits (`update-ref` there would leave its index and files
 *   describing the old commit);
 * - checked out nowhere: `git update-ref` with the old value, a
 *   compare-and-swap, so a branch that moved meanwhile is not overwritten.
 */
import { BranchMovedError, DirtyCheckoutError, MergeConflictError } from './errors.js';
import { branchHead, changedPaths, commitTree, isAncestor, mergeTrees, resolveCommit } from './commits.js';
import { git } from './git-command.js';
import { CLAUDE_WORKER_IDENTITY } from './identity.js';
import { uncommittedPaths } from './status.js';
import { worktreeOfBranch } from './worktrees.js';

export interface MergeRequest {
  /** The commit to merge, e.g. a task's head commit. */
  source: string;
  /** The local branch to merge into. */
  into: string;
  /** One new commit with the merged tree and a single parent, instead of a merge commit. */
  squash?: boolean;
  message: string;
}

export interface MergeResult {
  /** What `into` points at now. */
  mergeCommit: string;
  /** `into` moved to `source` itself; no commit was made. */
  fastForward: boolean;
  /** `source` was already in `into`; nothing changed. */
  alreadyMerged: boolean;
}

export async function mergeIntoBranch(repoRoot: string, request: MergeRequest): Promise<MergeResult> {
  const { into } = request;
  const current = await branchHead(repoRoot, into);
  const source = await resolveCommit(repoRoot, request.source);
  if (await isAncestor(repoRoot, source, current)) return { mergeCommit: current, fastForward: false, alreadyMerged: true };

  const fastForward = !request.squash && (await isAncestor(repoRoot, current, source));
  const target = fastForward ? source : await commitMerge(repoRoot, current, source, request);

  const checkout = await worktreeOfBranch(repoRoot, into);
  if (checkout) {
    const touched = new Set(await changedPaths(repoRoot, current, target));
    const dirty = (await uncommittedPaths(checkout.path)).filter((path) => touched.has(path));
    if (dirty.length > 0) throw new DirtyCheckoutError(checkout.path, into, dirty);
    // A commit made in the checkout since `current` was read makes this refuse, which is right.
    await git(checkout.path, ['merge', '--ff-only', '--no-autostash', '--quiet', target]);
  } else {
    await updateBranch(repoRoot, into, target, current);
  }
  return { mergeCommit: target, fastForward, alreadyMerged: false };
}

/** The merge (or squash) commit on top of `current`; a conflict throws before anything is written to a ref. */
async function commitMerge(repoRoot: string, current: string, source: string, request: MergeRequest): Promise<string> {
  const merged = await mergeTrees(repoRoot, current, source);
  if (merged.conflicts) {
    throw new MergeConflictError(
      `${request.source} into ${request.into}`,
      merged.conflicts,
      `Merge it by hand (git merge ${request.source}) and resolve the conflicts, or ask for a change that does not overlap.`,
    );
  }
  const parents = request.squash ? [current] : [current, source];
  return commitTree(repoRoot, merged.tree, parents, request.message, { env: CLAUDE_WORKER_IDENTITY });
}

async function updateBranch(repoRoot: string, branch: string, target: string, expected: string): Promise<void> {
  try {
    await git(repoRoot, ['update-ref', '-m', `claude-worker: merge into ${branch}`, `refs/heads/${branch}`, target, expected]);
  } catch (error) {
    if ((await branchHead(repoRoot, branch).catch(() => null)) !== expected) throw new BranchMovedError(branch);
    throw error;
  }
}
