/**
 * A task's git worktree: made from its base commit on a branch of its own
 * before the agent starts, and committed after the agent stops, whatever the
 * outcome, so no edit is ever lost. The agent only gets a directory; it knows
 * nothing of this. A worktree is never removed here.
 */
import { createHash } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { ChangeCounts } from '../core/task.js';
import { git } from './git-command.js';
import { CLAUDE_WORKER_IDENTITY } from './identity.js';
import { withRepositoryLock } from './repository-lock.js';
import { findRepository, resolveCommit } from './repository.js';
import { startPoint, type DependencyWork } from './start-point.js';
import { WorkspaceError } from './workspace-error.js';

export interface WorkspaceRequest {
  taskId: number;
  prompt: string;
  workingDirectory: string;
  baseCommit: string;
  /** The work of the tasks it depends on: a new branch starts from it instead of baseCommit when there is any. */
  dependencies?: readonly DependencyWork[];
  /** Worktrees go beneath it, one directory per repository. */
  worktreesDir: string;
  /**
   * Where the work already lives: set for a task that continues another
   * (its branch and worktree) and after an earlier attempt. Default: the
   * task's own branch name and a directory under `worktreesDir`.
   */
  branch?: string | null;
  worktreePath?: string | null;
}

export interface PreparedWorkspace {
  repositoryRoot: string;
  branch: string;
  worktreePath: string;
  /** Where the agent runs: the worktree's directory at the working directory's place in the repository. */
  cwd: string;
  /** The commit the branch started from: baseCommit, or the work of its dependencies. */
  baseCommit: string;
  /** True when the worktree was already there (an earlier attempt, or the task continued), and goes on from where it was. */
  reused: boolean;
  /** Dependencies whose work the new branch started from (none when reused). */
  startedFrom: string[];
  /** Dependencies left out because their work is in another repository. */
  elsewhere: string[];
}

/**
 * Makes the task's branch and worktree, or finds the ones an earlier attempt
 * made. Throws MergeConflictError when the work of its dependencies cannot
 * be merged, before anything is made.
 */
export async function prepareWorkspace(request: WorkspaceRequest): Promise<PreparedWorkspace> {
  const dir = await realpath(request.workingDirectory);
  const repository = await findRepository(dir);
  if (!repository) {
    throw new WorkspaceError(
      `${request.workingDirectory} is no longer inside a git repository, so the task's worktree cannot be made; submit it again with isolation none`,
    );
  }
  const root = repository.root;
  const branch = request.branch ?? branchName(request.taskId, request.prompt);
  const worktreePath = request.worktreePath ?? join(request.worktreesDir, repositoryDirName(root), String(request.taskId));
  return withRepositoryLock(root, async () => {
    const reused = await existingWorktree(root, worktreePath);
    // An earlier attempt's branch already holds its start, recorded as the task's base.
    let start = { commit: request.baseCommit, from: [] as string[], elsewhere: [] as string[] };
    if (!reused) {
      // Records of worktrees deleted by hand would block a new one at the same path.
      await git(root, ['worktree', 'prune']);
      await mkdir(dirname(worktreePath), { recursive: true });
      const branchExists = (await resolveCommit(root, `refs/heads/${branch}`)) !== null;
      if (!branchExists) start = await startPoint(root, request.taskId, request.baseCommit, request.dependencies ?? []);
      await git(
        root,
        branchExists
          ? ['worktree', 'add', '--quiet', worktreePath, branch]
          : ['worktree', 'add', '--quiet', '-b', branch, worktreePath, start.commit],
      );
    }
    const cwd = join(worktreePath, relative(root, dir));
    // A directory with no tracked file in it is not in the checkout; the agent still starts there.
    await mkdir(cwd, { recursive: true });
    return {
      repositoryRoot: root,
      branch,
      worktreePath,
      cwd,
      baseCommit: start.commit,
      reused,
      startedFrom: start.from,
      elsewhere: start.elsewhere,
    };
  });
}

export interface FinishedWorkspace {
  head_commit: string;
  changes: ChangeCounts;
  /** Whether the agent left edits that claude-worker committed. */
  committedLeftovers: boolean;
}

/**
 * Commits whatever the agent left uncommitted (its own commits stay as they
 * are) and measures the branch against its base. `--no-verify`: a hook that
 * refuses the commit must not cost the work; no signing, which could wait
 * for a passphrase.
 */
export async function finishWorkspace(workspace: PreparedWorkspace, taskId: number, outcome: string): Promise<FinishedWorkspace> {
  const { worktreePath, repositoryRoot } = workspace;
  return withRepositoryLock(repositoryRoot, async () => {
    await git(worktreePath, ['add', '--all']);
    const staged = await git(worktreePath, ['diff', '--cached', '--quiet'], { allowExitCodes: [1] });
    const committedLeftovers = staged.exitCode === 1;
    if (committedLeftovers) {
      const message = `claude-worker: task ${taskId} ${outcome}\n\nWhat the agent of task ${taskId} left uncommitted when it stopped (${outcome}).`;
      await git(worktreePath, ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', message], {
        env: CLAUDE_WORKER_IDENTITY,
      });
    }
    const head = (await git(worktreePath, ['rev-parse', 'HEAD'])).stdout.trim();
    const { stdout } = await git(worktreePath, ['diff', '--shortstat', workspace.baseCommit, head]);
    return { head_commit: head, changes: parseShortstat(stdout), committedLeftovers };
  });
}

/** `claude-worker/<id>-<a few words of the prompt>`: recognisable in `git branch`. */
export function branchName(taskId: number, prompt: string): string {
  const slug = prompt
    .toLowerCase()
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .split('-')
    .filter((word) => word !== '')
    .slice(0, 5)
    .join('-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `claude-worker/${taskId}${slug === '' ? '' : `-${slug}`}`;
}

/** `<repo-name>-<short hash of its path>`: two checkouts of one project get different directories. */
function repositoryDirName(root: string): string {
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 8);
  return `${basename(root) || 'repository'}-${hash}`;
}

async function existingWorktree(root: string, worktreePath: string): Promise<boolean> {
  const found = await stat(worktreePath).then(
    () => true,
    () => false,
  );
  if (!found) return false;
  const real = await realpath(worktreePath);
  const own = await findRepository(real);
  const { stdout } = await git(root, ['worktree', 'list', '--porcelain']);
  if (own?.root === real && stdout.split('\n').includes(`worktree ${real}`)) return true;
  throw new WorkspaceError(
    `${worktreePath} exists but is not a worktree of ${root}; move it away so the task's worktree can be made there`,
  );
}

/** ` 2 files changed, 10 insertions(+), 3 deletions(-)` as counts; an empty diff is all zeros. */
export function parseShortstat(text: string): ChangeCounts {
  const count = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    files: count(/(\d+) files? changed/),
    insertions: count(/(\d+) insertions?\(\+\)/),
    deletions: count(/(\d+) deletions?\(-\)/),
  };
}
