import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BranchNotFoundError, DirtyCheckoutError, MergeConflictError } from '../../src/workspace/errors.js';
import { mergeIntoBranch } from '../../src/workspace/merge.js';
import { createRepo, isolateGitConfig, snapshot, type TestRepo } from '../support/git-repo.js';

isolateGitConfig();

let repo: TestRepo;
beforeEach(async () => {
  repo = await createRepo({ 'shared.txt': 'base\n', 'other.txt': 'other\n' });
});
afterEach(async () => {
  await repo.remove();
});

describe('mergeIntoBranch into the branch of the user’s checkout', () => {
  it('fast-forwards the first of two competing branches, and refuses the second naming the file, changing nothing', async () => {
    const first = await repo.branchWith('task-1', { 'shared.txt': 'first\n' });
    const second = await repo.branchWith('task-2', { 'shared.txt': 'second\n' });

    const merged = await mergeIntoBranch(repo.root, { source: first, into: 'main', message: 'Merge task 1' });
    expect(merged).toEqual({ mergeCommit: first, fastForward: true, alreadyMerged: false });
    expect(await repo.read('shared.txt')).toBe('first\n');
    expect(await repo.run(['status', '--porcelain'])).toBe('');

    const before = await snapshot(repo, ['shared.txt', 'other.txt']);
    const error = await mergeIntoBranch(repo.root, { source: second, into: 'main', message: 'Merge task 2' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MergeConflictError);
    expect((error as MergeConflictError).files).toEqual(['shared.txt']);
    expect((error as MergeConflictError).httpStatus).toBe(409);
    expect((error as MergeConflictError).message).toMatch(/conflicts in shared\.txt\. Nothing was changed\./);
    expect(await snapshot(repo, ['shared.txt', 'other.txt'])).toEqual(before);
    expect(await repo.run(['rev-parse', 'task-2'])).toBe(second);
  });

  it('creates a merge commit in the checkout when the branch has moved on, touching only the merged file', async () => {
    const task = await repo.branchWith('task', { 'other.txt': 'from the task\n' });
    await repo.write('shared.txt', 'user edit\n');
    const userHead = await repo.commitAll('user work');

    const merged = await mergeIntoBranch(repo.root, { source: task, into: 'main', message: 'Merge the task' });
    expect(merged.fastForward).toBe(false);
    expect(await repo.run(['rev-parse', 'HEAD'])).toBe(merged.mergeCommit);
    expect(await repo.run(['log', '-1', '--format=%P%n%s', merged.mergeCommit])).toBe(`${userHead} ${task}\nMerge the task`);
    expect(await repo.read('other.txt')).toBe('from the task\n');
    expect(await repo.read('shared.txt')).toBe('user edit\n');
    expect(await repo.run(['status', '--porcelain'])).toBe('');
  });

  it('refuses when the checkout has uncommitted changes in a file the merge touches, and changes nothing', async () => {
    const task = await repo.branchWith('task', { 'shared.txt': 'from the task\n' });
    await repo.write('shared.txt', 'uncommitted edit\n');
    const before = await snapshot(repo, ['shared.txt']);

    const error = await mergeIntoBranch(repo.root, { source: task, into: 'main', message: 'Merge' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirtyCheckoutError);
    expect((error as DirtyCheckoutError).files).toEqual(['shared.txt']);
    expect((error as DirtyCheckoutError).message).toContain('uncommitted changes in files the merge changes: shared.txt');
    expect(await snapshot(repo, ['shared.txt'])).toEqual(before);
  });

  it('merges while the checkout has uncommitted changes in files the merge does not touch, keeping them', async () => {
    const task = await repo.branchWith('task', { 'shared.txt': 'from the task\n' });
    await repo.write('other.txt', 'uncommitted edit\n');

    await mergeIntoBranch(repo.root, { source: task, into: 'main', message: 'Merge' });
    expect(await repo.read('shared.txt')).toBe('from the task\n');
    expect(await repo.read('other.txt')).toBe('uncommitted edit\n');
    expect(await repo.run(['status', '--porcelain'])).toBe('M other.txt');
  });
});

describe('mergeIntoBranch into a branch checked out in another worktree', () => {
  it('moves it through that worktree, whose files follow', async () => {
    const other = await mkdtemp(join(tmpdir(), 'cw-other-'));
    try {
      await repo.run(['worktree', 'add', '-q', '-b', 'release', other, 'main']);
      await repo.write('other.txt', 'release fix\n', other);
      await repo.commitAll('release fix', other);
      const task = await repo.branchWith('task', { 'shared.txt': 'from the task\n' });

      const merged = await mergeIntoBranch(repo.root, { source: task, into: 'release', message: 'Merge into release' });
      expect(await repo.run(['rev-parse', 'HEAD'], other)).toBe(merged.mergeCommit);
      expect(await repo.read('shared.txt', other)).toBe('from the task\n');
      expect(await repo.run(['status', '--porcelain'], other)).toBe('');
      expect(await repo.read('shared.txt')).toBe('base\n');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('mergeIntoBranch into a branch checked out nowhere', () => {
  it('records a merge commit on the branch and leaves the user’s checkout alone', async () => {
    await repo.branchWith('release', { 'other.txt': 'release fix\n' });
    const task = await repo.branchWith('task', { 'shared.txt': 'from the task\n' });
    const releaseBefore = await repo.run(['rev-parse', 'release']);
    const before = await snapshot(repo, ['shared.txt', 'other.txt']);

    const merged = await mergeIntoBranch(repo.root, { source: task, into: 'release', message: 'Merge into release' });
    expect(merged.fastForward).toBe(false);
    expect(await repo.run(['rev-parse', 'release'])).toBe(merged.mergeCommit);
    expect(await repo.run(['log', '-1', '--format=%P', 'release'])).toBe(`${releaseBefore} ${task}`);
    expect(await repo.run(['show', 'release:shared.txt'])).toBe('from the task');
    expect(await repo.run(['show', 'release:other.txt'])).toBe('release fix');
    const after = await snapshot(repo, ['shared.txt', 'other.txt']);
    expect({ ...after, branches: '' }).toEqual({ ...before, branches: '' });
  });

  it('fast-forwards it when it has not moved', async () => {
    await repo.run(['branch', 'release']);
    const task = await repo.branchWith('task', { 'shared.txt': 'from the task\n' });

    const merged = await mergeIntoBranch(repo.root, { source: task, into: 'release', message: 'Merge' });
    expect(merged).toEqual({ mergeCommit: task, fastForward: true, alreadyMerged: false });
    expect(await repo.run(['rev-parse', 'release'])).toBe(task);
  });

  it('names a branch that does not exist', async () => {
    const task = await repo.branchWith('task', { 'shared.txt': 'x\n' });
    await expect(mergeIntoBranch(repo.root, { source: task, into: 'nope', message: 'Merge' })).rejects.toBeInstanceOf(
      BranchNotFoundError,
    );
  });
});

describe('mergeIntoBranch with squash', () => {
  it('makes one commit with the task’s changes and a single parent', async () => {
    await repo.branchWith('task', { 'shared.txt': 'step one\n' });
    await repo.run(['checkout', '-q', 'task']);
    await repo.write('other.txt', 'step two\n');
    const task = await repo.commitAll('step two');
    await repo.run(['checkout', '-q', 'main']);
    const mainBefore = await repo.run(['rev-parse', 'main']);

    const merged = await mergeIntoBranch(repo.root, { source: task, into: 'main', squash: true, message: 'The task, squashed' });
    expect(merged.fastForward).toBe(false);
    expect(await repo.run(['log', '-1', '--format=%P%n%s', 'main'])).toBe(`${mainBefore}\nThe task, squashed`);
    expect(await repo.run(['rev-parse', 'main^{tree}'])).toBe(await repo.run(['rev-parse', `${task}^{tree}`]));
    expect(await repo.read('shared.txt')).toBe('step one\n');
    expect(await repo.read('other.txt')).toBe('step two\n');
    expect(await repo.run(['status', '--porcelain'])).toBe('');
  });
});

describe('mergeIntoBranch of work already merged', () => {
  it('changes nothing and says so', async () => {
    const task = await repo.branchWith('task', { 'shared.txt': 'x\n' });
    await mergeIntoBranch(repo.root, { source: task, into: 'main', message: 'Merge' });
    const again = await mergeIntoBranch(repo.root, { source: task, into: 'main', message: 'Merge' });
    expect(again).toEqual({ mergeCommit: task, fastForward: false, alreadyMerged: true });
  });
});
