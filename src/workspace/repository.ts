/** What claude-worker asks of a user's repository at submit time: where it is, and which commit a task starts from. */
import { git } from './git-command.js';

export interface Repository {
  /** The top of the work tree (as git reports it: symbolic links resolved). */
  root: string;
  /** False in a repository that was just made: there is no commit to start a task from. */
  hasCommits: boolean;
}

/** The git work tree holding `dir`, or null when there is none. */
export async function findRepository(dir: string): Promise<Repository | null> {
  const top = await git(dir, ['rev-parse', '--show-toplevel'], { allowExitCodes: [128] });
  // Exit 128 outside a work tree; an empty answer inside a repository's .git directory.
  const root = top.stdout.trim();
  if (top.exitCode !== 0 || root === '') return null;
  return { root, hasCommits: (await resolveCommit(root, 'HEAD')) !== null };
}

/** The commit `ref` names in the repository at `root`, or null when it names none. */
export async function resolveCommit(root: string, ref: string): Promise<string | null> {
  const answer = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    allowExitCodes: [1, 128],
  });
  return answer.exitCode === 0 ? answer.stdout.trim() : null;
}

/**
 * A commit of the tracked changes in the work tree at `root` on top of HEAD,
 * made without touching the work tree, the index or the stash; null when
 * there are no such changes.
 */
export async function snapshotUncommitted(root: string): Promise<string | null> {
  const { stdout } = await git(root, ['stash', 'create', 'claude-worker: uncommitted changes at submit']);
  return stdout.trim() || null;
}
