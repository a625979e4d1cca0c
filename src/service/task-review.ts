/**
 * The review operations on a task's workspace (isolation `worktree`): its
 * diff, merging its branch, discarding its worktree and branch, and where its
 * worktree is. Each refuses with a typed error, changing nothing, when the
 * task cannot be acted on. Merge and discard hold the repository's lock, so
 * they never race the runner's own git operations on it (in this process).
 */
import { stat } from 'node:fs/promises';
import {
  DEFAULT_DIFF_MAX_BYTES,
  DetachedCheckoutError,
  TaskNotEndedError,
  TaskRanInPlaceError,
  TaskWorkspaceMissingError,
  type DiscardInput,
  type MergeInput,
  type TaskDiff,
  type TaskDiffStat,
} from '../core/review.js';
import { isTerminal } from '../core/task.js';
import { branchHead } from '../workspace/commits.js';
import { diffStat, taskDiff } from '../workspace/diff.js';
import { discardWorkspace, type DiscardResult } from '../workspace/discard.js';
import { BranchNotFoundError } from '../workspace/errors.js';
import { mergeIntoBranch, type MergeResult } from '../workspace/merge.js';
import { withRepositoryLock } from '../workspace/repository-lock.js';
import { findRepository } from '../workspace/repository.js';
import { listWorktrees } from '../workspace/worktrees.js';
import type { TaskRecord } from '../store/task-store.js';

/** A task with a branch: what every review operation starts from. */
export interface BranchedTask {
  record: TaskRecord;
  repositoryRoot: string;
  branch: string;
  base: string;
}

export async function diffOfTask(record: TaskRecord, options: { maxBytes?: number }): Promise<TaskDiff> {
  const task = await branchedTask(record, 'show the diff of');
  const diff = await taskDiff(task.repositoryRoot, task.base, await headOf(task), {
    maxBytes: options.maxBytes ?? DEFAULT_DIFF_MAX_BYTES,
  });
  return { text: diff.text, truncated: diff.truncated, total_bytes: diff.totalBytes };
}

export async function diffStatOfTask(record: TaskRecord): Promise<TaskDiffStat> {
  const task = await branchedTask(record, 'show the diff of');
  const stat = await diffStat(task.repositoryRoot, task.base, await headOf(task));
  return {
    files: stat.files.map(({ path, previousPath, insertions, deletions, binary }) => ({
      path,
      ...(previousPath === undefined ? {} : { previous_path: previousPath }),
      insertions,
      deletions,
      ...(binary ? { binary } : {}),
    })),
    insertions: stat.insertions,
    deletions: stat.deletions,
  };
}

/** Merges the task's branch into `into`, by default the branch checked out in the repository's main worktree. */
export async function mergeTask(record: TaskRecord, input: MergeInput): Promise<MergeResult & { into: string }> {
  const task = await branchedTask(record, 'merge');
  if (!isTerminal(record.status)) throw new TaskNotEndedError(record.id, record.status, 'merge');
  const { repositoryRoot: root, branch } = task;
  return withRepositoryLock(root, () =>
    mergeIntoCheckout(root, input, async (into) => ({
      source: branch,
      message: `Merge task ${record.id} (${branch}) into ${into}\n\n${firstLine(record.execution_prompt)}\n`,
    })),
  );
}

/**
 * Merges what `prepare` names into `input.into`, by default the branch
 * checked out in the repository's main worktree; `prepare` learns that branch
 * first (for its commit message). The caller holds the repository's lock.
 */
export async function mergeIntoCheckout(
  root: string,
  input: MergeInput,
  prepare: (into: string) => Promise<{ source: string; message: string }>,
): Promise<MergeResult & { into: string }> {
  const into = input.into ?? (await checkedOutBranch(root));
  const { source, message } = await prepare(into);
  const merged = await mergeIntoBranch(root, { source, into, message, ...(input.squash ? { squash: true } : {}) });
  return { ...merged, into };
}

/**
 * Removes the task's worktree and branch. The task's record stays as it is
 * (branch and worktree_path included, as a history of where the work was);
 * `worktreeOfTask` checks that the directory is still there.
 */
export async function discardTask(record: TaskRecord, input: DiscardInput): Promise<DiscardResult> {
  const task = await branchedTask(record, 'discard');
  if (!isTerminal(record.status)) throw new TaskNotEndedError(record.id, record.status, 'discard');
  if (record.worktree_path === null) {
    throw new TaskWorkspaceMissingError(record.id, 'has a branch but no recorded worktree; delete its branch with git.');
  }
  const { repositoryRoot: root } = task;
  return withRepositoryLock(root, () =>
    discardWorkspace(root, {
      worktreePath: record.worktree_path!,
      branch: task.branch,
      base: task.base,
      force: input.force ?? false,
    }),
  );
}

/** The task's worktree directory, when it still exists. */
export async function worktreeOfTask(record: TaskRecord): Promise<string> {
  if (record.isolation === 'none') throw new TaskRanInPlaceError(record.id, record.working_directory);
  const path = record.worktree_path;
  if (path === null) throw new TaskWorkspaceMissingError(record.id, `has no worktree yet (it is ${record.status}).`);
  const present = await stat(path).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!present) {
    throw new TaskWorkspaceMissingError(
      record.id,
      `no longer has its worktree ${path} (it was discarded or removed)` +
        (record.branch ? `; its work is on branch ${record.branch}.` : '.'),
    );
  }
  return path;
}

export async function branchedTask(record: TaskRecord, action: string): Promise<BranchedTask> {
  if (record.isolation === 'none') throw new TaskRanInPlaceError(record.id, record.working_directory);
  if (record.branch === null || record.base_commit === null) {
    if (!isTerminal(record.status)) throw new TaskNotEndedError(record.id, record.status, action);
    throw new TaskWorkspaceMissingError(
      record.id,
      `never got a branch (it is ${record.status}), so there is nothing to ${action}.`,
    );
  }
  const repository = await findRepository(record.working_directory).catch(() => null);
  if (!repository) {
    throw new TaskWorkspaceMissingError(
      record.id,
      `cannot be reviewed: its working directory ${record.working_directory} is no longer inside a git repository.`,
    );
  }
  return { record, repositoryRoot: repository.root, branch: record.branch, base: record.base_commit };
}

/** The branch's tip while it exists (a later commit on it counts), else the head recorded when the agent stopped. */
export async function headOf(task: BranchedTask): Promise<string> {
  try {
    return await branchHead(task.repositoryRoot, task.branch);
  } catch (error) {
    if (!(error instanceof BranchNotFoundError) || task.record.head_commit === null) throw error;
    return task.record.head_commit;
  }
}

/** The branch checked out in the repository's main worktree: the person's own checkout. */
async function checkedOutBranch(root: string): Promise<string> {
  const [main] = await listWorktrees(root);
  const ref = main?.branch;
  if (!ref) throw new DetachedCheckoutError(main?.path ?? root);
  return ref.slice('refs/heads/'.length);
}

export function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0]!;
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}
