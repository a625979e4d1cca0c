/**
 * The commit-level steps that merging and combining share. They only read
 * and write objects and refs, never a working tree or an index: that is what
 * lets claude-worker prepare a merge beside a person's checkout without
 * disturbing it. `git merge-tree --write-tree` (git >= 2.38) computes a
 * merge's tree this way and exits 1 when the merge conflicts, listing the
 * conflicted paths; `git commit-tree` then records a tree as a commit.
 */
import { BranchNotFoundError } from './errors.js';
import { git, type GitOptions } from './git-command.js';

/** The commit `revision` names, as a full id; git's own error when it names none. */
export async function resolveCommit(repoRoot: string, revision: string): Promise<string> {
  const { stdout } = await git(repoRoot, ['rev-parse', '--verify', '--end-of-options', `${revision}^{commit}`]);
  return stdout.trim();
}

/** The commit local branch `branch` points at. */
export async function branchHead(repoRoot: string, branch: string): Promise<string> {
  const { stdout, exitCode } = await git(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    allowExitCodes: [1],
  });
  if (exitCode !== 0) throw new BranchNotFoundError(repoRoot, branch);
  return stdout.trim();
}

export async function isAncestor(repoRoot: string, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await git(repoRoot, ['merge-base', '--is-ancestor', ancestor, descendant], { allowExitCodes: [1] });
  return exitCode === 0;
}

export type TreeMerge = { tree: string; conflicts?: undefined } | { tree?: undefined; conflicts: string[] };

/** The tree of merging `theirs` into `ours`, or the paths that conflict. */
export async function mergeTrees(repoRoot: string, ours: string, theirs: string): Promise<TreeMerge> {
  const { stdout, exitCode } = await git(
    repoRoot,
    ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs],
    { allowExitCodes: [1] },
  );
  // -z output: the tree id, then each conflicted path, each ended by a NUL.
  const [tree = '', ...paths] = stdout.split('\0').filter((field) => field !== '');
  return exitCode === 0 ? { tree } : { conflicts: paths };
}

/** Records `tree` as a commit with `parents`, without moving any branch. */
export async function commitTree(
  repoRoot: string,
  tree: string,
  parents: readonly string[],
  message: string,
  options: Pick<GitOptions, 'env'> = {},
): Promise<string> {
  const parentArgs = parents.flatMap((parent) => ['-p', parent]);
  const { stdout } = await git(repoRoot, ['commit-tree', '--no-gpg-sign', tree, ...parentArgs, '-F', '-'], {
    ...options,
    input: message,
  });
  return stdout.trim();
}

/** The paths whose content differs between two commits (both sides of a rename). */
export async function changedPaths(repoRoot: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await git(repoRoot, ['diff', '--name-only', '--no-renames', '-z', from, to]);
  return stdout.split('\0').filter((path) => path !== '');
}
