/**
 * Reviewing a task's work (isolation `worktree`): its diff, merging its
 * branch, discarding its workspace, finding its worktree. The schemas every
 * door shares, and the refusals that change nothing.
 */
import { z } from 'zod';
import { ClaudeWorkerError } from './errors.js';
import { wholeNumber } from './schema-rules.js';
import { orchestrationDetailSchema } from './orchestration-schemas.js';
import { taskSchema } from './schemas.js';
import type { TaskStatus } from './task.js';

/** A task can rewrite a lockfile: a diff is cut past this many bytes unless asked for less or more. */
export const DEFAULT_DIFF_MAX_BYTES = 256 * 1024;
export const MAX_DIFF_MAX_BYTES = 16 * 1024 * 1024;

const booleanFlag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

export const diffQuerySchema = z.strictObject({
  stat: booleanFlag.describe('1: the files changed with their line counts, as JSON, instead of the diff'),
  max_bytes: wholeNumber('max_bytes', 1, MAX_DIFF_MAX_BYTES)
    .optional()
    .describe(`Cut the diff past this many bytes, with a note saying so (default ${DEFAULT_DIFF_MAX_BYTES})`),
});

export const fileStatSchema = z.object({
  path: z.string(),
  previous_path: z.string().optional().describe('The path at base, when the file was renamed.'),
  insertions: z.int(),
  deletions: z.int(),
  binary: z.boolean().optional().describe('True for a binary file; git counts no lines in it.'),
});

export const diffStatSchema = z.object({
  files: z.array(fileStatSchema),
  insertions: z.int(),
  deletions: z.int(),
});
export type TaskDiffStat = z.infer<typeof diffStatSchema>;

export const taskDiffSchema = z.object({
  text: z.string().describe('The unified diff from base_commit to the head of the branch, cut to max_bytes.'),
  truncated: z.boolean().describe('The diff was cut; the text ends with a note saying how much is shown.'),
  total_bytes: z.int().describe('The size of the whole diff.'),
});
export type TaskDiff = z.infer<typeof taskDiffSchema>;

export const mergeInputSchema = z.strictObject({
  squash: z.boolean().optional().describe('One new commit on top of the branch instead of a merge commit.'),
  into: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe("The local branch to merge into; default: the branch checked out in the task's repository."),
});
export type MergeInput = z.infer<typeof mergeInputSchema>;

export const mergeOutcomeSchema = z.object({
  task: taskSchema.describe('The task, with merged_at and merge_commit.'),
  into: z.string().describe('The branch merged into.'),
  merge_commit: z.string().describe('What that branch points at now.'),
  fast_forward: z.boolean().describe('The branch moved to the task’s head; no commit was made.'),
  already_merged: z.boolean().describe('The branch already held the task’s work; nothing changed.'),
});
export type MergeOutcome = z.infer<typeof mergeOutcomeSchema>;

export const orchestrationMergeOutcomeSchema = z.object({
  orchestration: orchestrationDetailSchema.describe('The orchestration, its sink tasks with merged_at and merge_commit.'),
  into: z.string().describe('The branch merged into.'),
  merge_commit: z.string().describe('What that branch points at now.'),
  fast_forward: z
    .boolean()
    .describe('The branch moved to the sinks’ work (one sink’s head, or a merge of theirs); no commit on top.'),
  already_merged: z.boolean().describe('The branch already held the sinks’ work; nothing changed.'),
});
export type OrchestrationMergeOutcome = z.infer<typeof orchestrationMergeOutcomeSchema>;

export const discardInputSchema = z.strictObject({
  force: z.boolean().optional().describe('Delete the branch even when it holds commits no other branch has.'),
});
export type DiscardInput = z.infer<typeof discardInputSchema>;

export const discardOutcomeSchema = z.object({
  task: taskSchema,
  removed_worktree: z.boolean(),
  deleted_branch: z.boolean(),
});
export type DiscardOutcome = z.infer<typeof discardOutcomeSchema>;

/** A task with isolation `none` worked in the directory itself: there is no branch to show, merge or discard. */
export class TaskRanInPlaceError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly taskId: number,
    readonly directory: string,
  ) {
    super(`Task ${taskId} ran in place (isolation none): its changes are in ${directory}, see git diff there.`);
    this.name = 'TaskRanInPlaceError';
  }
}

/** A task whose agent may still change its branch (or has not made it yet). */
export class TaskNotEndedError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly taskId: number,
    readonly status: TaskStatus,
    action: string,
  ) {
    super(`Task ${taskId} is ${status}; ${action} it once it has ended (wait for it, or cancel it). Nothing was changed.`);
    this.name = 'TaskNotEndedError';
  }
}

/** An orchestration is merged once all its work is done: a task still to run could change what its sinks hold. */
export class OrchestrationNotEndedError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly orchestrationId: number,
    readonly taskId: number,
    identifier: string | null,
    readonly status: TaskStatus,
  ) {
    super(
      `Orchestration ${orchestrationId} has task ${taskId}${identifier === null ? '' : ` (${identifier})`} still ${status}; ` +
        'merge it once all its tasks have ended (wait for them, or cancel the orchestration). Nothing was changed.',
    );
    this.name = 'OrchestrationNotEndedError';
  }
}

/** An orchestration whose work cannot be merged as one; the message says why. */
export class OrchestrationNotMergeableError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly orchestrationId: number,
    detail: string,
  ) {
    super(`Orchestration ${orchestrationId} ${detail} Nothing was changed.`);
    this.name = 'OrchestrationNotMergeableError';
  }
}

/** A task that has no branch, worktree or repository left to act on; the message says which and why. */
export class TaskWorkspaceMissingError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly taskId: number,
    detail: string,
  ) {
    super(`Task ${taskId} ${detail}`);
    this.name = 'TaskWorkspaceMissingError';
  }
}

/** No branch is checked out where the merge would go by default. */
export class DetachedCheckoutError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(readonly checkout: string) {
    super(
      `The checkout ${checkout} has no branch checked out (detached HEAD), so there is no branch to merge into by default. ` +
        'Name one with --into BRANCH (into in the API). Nothing was changed.',
    );
    this.name = 'DetachedCheckoutError';
  }
}
