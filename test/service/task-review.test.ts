import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskNotFoundError } from '../../src/core/errors.js';
import {
  DetachedCheckoutError,
  TaskNotEndedError,
  TaskRanInPlaceError,
  TaskWorkspaceMissingError,
} from '../../src/core/review.js';
import { DirtyCheckoutError, MergeConflictError, UnmergedBranchError } from '../../src/workspace/errors.js';
import { gitIn } from '../support/git-repo.js';
import { createReviewFixture, type ReviewFixture } from '../support/review-fixture.js';
import { waitFor } from '../support/wait.js';

let fx: ReviewFixture;

beforeEach(async () => {
  fx = await createReviewFixture();
});

afterEach(async () => {
  await fx.close();
});

/** What a person sees of their checkout and the task branches. */
function checkout() {
  return {
    head: gitIn(fx.repo, 'rev-parse', 'HEAD'),
    status: gitIn(fx.repo, 'status', '--porcelain'),
    branches: gitIn(fx.repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  };
}

describe('reviewing the work of tasks on one repository', () => {
  it('shows each task its own diff, fast-forwards the first merge and refuses the conflicting second, changing nothing', async () => {
    const [first, second] = await fx.twoTasksWritingOneFile();

    const firstDiff = await fx.service.diff(first);
    expect(firstDiff).toMatchObject({ truncated: false });
    expect(firstDiff.text).toContain('+++ b/shared.txt');
    expect(firstDiff.text).toContain('+written by fake claude for: [fake:success] First version');
    expect(firstDiff.text).not.toContain('Second version');
    expect((await fx.service.diff(second)).text).toContain('+written by fake claude for: [fake:success] Second version');
    expect(await fx.service.diffStat(first)).toEqual({
      files: [{ path: 'shared.txt', insertions: 1, deletions: 0 }],
      insertions: 1,
      deletions: 0,
    });

    const firstTask = await fx.service.get(first);
    const merged = await fx.service.merge(first);
    expect(merged).toMatchObject({
      into: 'main',
      fast_forward: true,
      already_merged: false,
      merge_commit: firstTask.head_commit,
    });
    expect(merged.task).toMatchObject({ merge_commit: firstTask.head_commit });
    expect(merged.task.merged_at).toMatch(/Z$/);
    expect(gitIn(fx.repo, 'rev-parse', 'main')).toBe(firstTask.head_commit);
    expect(await readFile(join(fx.repo, 'shared.txt'), 'utf8')).toContain('First version');
    expect(gitIn(fx.repo, 'status', '--porcelain')).toBe('');

    const before = checkout();
    const refused = await fx.service.merge(second).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MergeConflictError);
    expect((refused as MergeConflictError).files).toEqual(['shared.txt']);
    expect((refused as Error).message).toMatch(/conflicts in shared\.txt\. Nothing was changed/);
    expect(checkout()).toEqual(before);
    expect(await readFile(join(fx.repo, 'shared.txt'), 'utf8')).toContain('First version');
    expect(await fx.service.get(second)).toMatchObject({ merged_at: null, merge_commit: null });
  });

  it('merges into a named branch with a squash commit, the checkout untouched', async () => {
    const id = await fx.submit('[fake:success] Squash me');
    await fx.ended(id);
    gitIn(fx.repo, 'branch', 'release');
    const before = checkout().head;
    gitIn(fx.repo, 'checkout', '-q', '--detach');
    await expect(fx.service.merge(id)).rejects.toThrow(DetachedCheckoutError);
    await expect(fx.service.merge(id)).rejects.toThrow(/has no branch checked out \(detached HEAD\).*--into BRANCH/);
    await expect(fx.service.merge(id, { into: 'no-such-branch' })).rejects.toThrow(
      /There is no branch no-such-branch in .*Name an existing local branch/,
    );
    const merged = await fx.service.merge(id, { into: 'release', squash: true });
    expect(merged).toMatchObject({ into: 'release', fast_forward: false });
    expect(gitIn(fx.repo, 'rev-parse', 'release')).toBe(merged.merge_commit);
    expect(gitIn(fx.repo, 'rev-list', '--count', `${before}..release`)).toBe('1');
    expect(gitIn(fx.repo, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('refuses to merge a task that is still running, and one into a checkout with edits in the files it changes', async () => {
    await rm(fx.gate);
    const running = await fx.submit('[fake:success] Still working');
    await waitFor(async () => (await fx.service.get(running)).branch, { what: 'the branch of the running task' });
    const before = checkout();
    await expect(fx.service.merge(running)).rejects.toThrow(TaskNotEndedError);
    await expect(fx.service.merge(running)).rejects.toThrow(/Task \d+ is running; merge it once it has ended/);
    await expect(fx.service.discard(running)).rejects.toThrow(TaskNotEndedError);
    expect(checkout()).toEqual(before);
    await writeFile(fx.gate, '');
    await fx.ended(running);

    await writeFile(join(fx.repo, 'shared.txt'), 'my own edit, not committed\n');
    const dirty = checkout();
    const refused = await fx.service.merge(running).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DirtyCheckoutError);
    expect((refused as Error).message).toMatch(/uncommitted changes in files the merge changes: shared\.txt/);
    expect(checkout()).toEqual(dirty);
    expect(await readFile(join(fx.repo, 'shared.txt'), 'utf8')).toBe('my own edit, not committed\n');
  });

  it('discards unmerged work only when forced, and open finds the worktree until then', async () => {
    const id = await fx.submit('[fake:success] Throw me away');
    await fx.ended(id);
    const task = await fx.service.get(id);
    expect(await fx.service.worktree(id)).toEqual({ path: task.worktree_path });

    const refused = await fx.service.discard(id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnmergedBranchError);
    expect((refused as Error).message).toMatch(/has 1 commit that no other branch holds \(changing shared\.txt\)/);
    expect(gitIn(fx.repo, 'rev-parse', task.branch!)).toBe(task.head_commit);
    expect((await stat(task.worktree_path!)).isDirectory()).toBe(true);

    expect(await fx.service.discard(id, { force: true })).toMatchObject({ removed_worktree: true, deleted_branch: true });
    expect(gitIn(fx.repo, 'branch', '--list', task.branch!)).toBe('');
    await expect(stat(task.worktree_path!)).rejects.toThrow();
    await expect(fx.service.worktree(id)).rejects.toThrow(TaskWorkspaceMissingError);
    // The diff reads objects only: it is still there after the branch went.
    expect((await fx.service.diff(id)).text).toContain('Throw me away');
  });

  it('cuts a long diff at the size asked for, with a note', async () => {
    const id = await fx.submit('[fake:success] A diff to cut');
    await fx.ended(id);
    const diff = await fx.service.diff(id, { maxBytes: 40 });
    expect(diff.truncated).toBe(true);
    expect(diff.text).toMatch(/\[diff cut: \d+ of \d+ bytes shown\]\n$/);
    expect(diff.total_bytes).toBeGreaterThan(40);
  });

  it('refuses every review of a task that ran in place, and of an unknown task', async () => {
    const id = await fx.submit('[fake:success] In place', { isolation: 'none' });
    await fx.ended(id);
    const message = `Task ${id} ran in place (isolation none): its changes are in ${fx.repo}, see git diff there.`;
    for (const review of [
      () => fx.service.diff(id),
      () => fx.service.diffStat(id),
      () => fx.service.merge(id),
      () => fx.service.discard(id),
      () => fx.service.worktree(id),
    ]) {
      const error = await review().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TaskRanInPlaceError);
      expect((error as Error).message).toBe(message);
    }
    await expect(fx.service.merge(9999)).rejects.toThrow(TaskNotFoundError);
  });
});
