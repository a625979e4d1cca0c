/**
 * Which working trees a repository has and what each has checked out, from
 * `git worktree list --porcelain -z` (NUL-separated, so any path survives).
 * A branch checked out somewhere must only move through that checkout
 * (`git merge --ff-only` there): `update-ref` on it would leave that
 * checkout's index and files describing the old commit.
 */
import { realpath } from 'node:fs/promises';
import { git } from './git-command.js';

export interface Worktree {
  path: string;
  /** The commit checked out; absent in a bare repository's entry. */
  head?: string;
  /** `refs/heads/<name>` when a branch is checked out, absent when detached or bare. */
  branch?: string;
}

export async function listWorktrees(repoRoot: string): Promise<Worktree[]> {
  const { stdout } = await git(repoRoot, ['worktree', 'list', '--porcelain', '-z']);
  const worktrees: Worktree[] = [];
  let current: Worktree | undefined;
  // One attribute per NUL-terminated field; an empty field ends a worktree's record.
  for (const field of stdout.split('\0')) {
    if (field.startsWith('worktree ')) worktrees.push((current = { path: field.slice('worktree '.length) }));
    else if (current && field.startsWith('HEAD ')) current.head = field.slice('HEAD '.length);
    else if (current && field.startsWith('branch ')) current.branch = field.slice('branch '.length);
  }
  return worktrees;
}

/** The worktree that has local branch `branch` checked out, if any. */
export async function worktreeOfBranch(repoRoot: string, branch: string): Promise<Worktree | undefined> {
  const worktrees = await listWorktrees(repoRoot);
  return worktrees.find((worktree) => worktree.branch === `refs/heads/${branch}`);
}

/** The registered worktree at `path` (compared after resolving symbolic links), if any. */
export async function worktreeAt(repoRoot: string, path: string): Promise<Worktree | undefined> {
  const wanted = await canonical(path);
  for (const worktree of await listWorktrees(repoRoot)) {
    if ((await canonical(worktree.path)) === wanted) return worktree;
  }
  return undefined;
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}
