/**
 * Refusals of the review operations (merge, combine, discard). Each one
 * means nothing was changed, so they are conflicts (409) that the person can
 * resolve and then ask again; each carries the files it is about, in its
 * message and as a field, because "which files" is what they need to act.
 */
import { ClaudeWorkerError } from '../core/errors.js';

/** At most this many paths are named in a message; the `files` field holds them all. */
const MAX_NAMED_FILES = 20;

function listFiles(files: readonly string[]): string {
  const named = files.slice(0, MAX_NAMED_FILES).join(', ');
  return files.length > MAX_NAMED_FILES ? `${named} and ${files.length - MAX_NAMED_FILES} more` : named;
}

/** Two lines of work change the same lines (or one deletes what the other edits). */
export class MergeConflictError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    /** What was being merged, e.g. `claude-worker/4-fix-login into main`. */
    readonly what: string,
    readonly files: readonly string[],
    /** What the reader can do about it, e.g. how to resolve it by hand. */
    hint: string,
  ) {
    super(`Merging ${what} conflicts in ${listFiles(files)}. Nothing was changed. ${hint}`);
    this.name = 'MergeConflictError';
  }
}

/** The checkout a merge would update has uncommitted edits in files the merge changes. */
export class DirtyCheckoutError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly checkout: string,
    readonly branch: string,
    readonly files: readonly string[],
  ) {
    super(
      `The checkout ${checkout} (branch ${branch}) has uncommitted changes in files the merge changes: ${listFiles(files)}. ` +
        'Nothing was changed. Commit or stash them, then merge again.',
    );
    this.name = 'DirtyCheckoutError';
  }
}

/** The branch to merge into moved while the merge was computed. */
export class BranchMovedError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(readonly branch: string) {
    super(`Branch ${branch} changed while the merge was being prepared. Nothing was changed; merge again.`);
    this.name = 'BranchMovedError';
  }
}

export class BranchNotFoundError extends ClaudeWorkerError {
  readonly code = 'not_found' as const;
  readonly httpStatus = 404;

  constructor(
    readonly repository: string,
    readonly branch: string,
  ) {
    super(`There is no branch ${branch} in ${repository}. Name an existing local branch (git branch lists them).`);
    this.name = 'BranchNotFoundError';
  }
}

/** A worktree still holds edits that are on no commit: removing it would lose them. */
export class UncommittedWorkError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly worktreePath: string,
    readonly files: readonly string[],
  ) {
    super(
      `The worktree ${worktreePath} has uncommitted changes in ${listFiles(files)}, so it was kept. ` +
        'Commit them (or delete them yourself) and discard again.',
    );
    this.name = 'UncommittedWorkError';
  }
}

/** A branch holds commits that no other branch has: deleting it would lose them. */
export class UnmergedBranchError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly branch: string,
    readonly commits: number,
    /** The files those commits change. */
    readonly files: readonly string[],
  ) {
    super(
      `Branch ${branch} has ${commits} commit${commits === 1 ? '' : 's'} that no other branch holds ` +
        `(changing ${listFiles(files)}), so nothing was removed. Merge it first, or discard with force to delete it anyway.`,
    );
    this.name = 'UnmergedBranchError';
  }
}
