import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discardWorkspace } from '../../src/workspace/discard.js';
import { UncommittedWorkError, UnmergedBranchError } from '../../src/workspace/errors.js';
import { createRepo, isolateGitConfig, type TestRepo } from '../support/git-repo.js';

isolateGitConfig();

let repo: TestRepo;
let base: string;
let parent: string;
let worktreePath: string;
beforeEach(async () => {
  repo = await createRepo({ 'a.txt': 'a\n' });
  base = await repo.run(['rev-parse', 'HEAD']);
  parent = await mkdtemp(join(tmpdir(), 'cw-worktrees-'));
  worktreePath = join(parent, 'task-1');
  await repo.run(['worktree', 'add', '-q', '-b', 'task-1', worktreePath, base]);
});
afterEach(async () => {
  await repo.remove();
  await rm(parent, { recursive: true, force: true });
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const branches = () => repo.run(['branch', '--format=%(refname:short)']);

describe('discardWorkspace', () => {
  it('removes a clean worktree and its branch when the branch holds nothing of its own', async () => {
    const result = await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base });
    expect(result).toEqual({ removedWorktree: true, deletedBranch: true });
    expect(await exists(worktreePath)).toBe(false);
    expect(await branches()).toBe('main');
    expect(await repo.run(['worktree', 'list', '--porcelain'])).not.toContain(worktreePath);
  });

  it('removes a branch whose commits were merged into another branch', async () => {
    await repo.write('a.txt', 'task\n', worktreePath);
    const head = await repo.commitAll('task work', worktreePath);
    await repo.run(['merge', '-q', '--ff-only', head]);

    expect(await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base })).toEqual({
      removedWorktree: true,
      deletedBranch: true,
    });
    expect(await branches()).toBe('main');
  });

  it('never removes a worktree with uncommitted changes, even with force', async () => {
    await repo.write('a.txt', 'edited\n', worktreePath);
    await repo.write('new.txt', 'untracked\n', worktreePath);

    for (const force of [false, true]) {
      const error = await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base, force }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UncommittedWorkError);
      expect((error as UncommittedWorkError).files).toEqual(['a.txt', 'new.txt']);
      expect((error as UncommittedWorkError).httpStatus).toBe(409);
    }
    expect(await repo.read('a.txt', worktreePath)).toBe('edited\n');
    expect(await repo.read('new.txt', worktreePath)).toBe('untracked\n');
    expect(await branches()).toBe('main\ntask-1');
  });

  it('keeps a branch with commits no other branch holds unless forced, then removes both', async () => {
    await repo.write('a.txt', 'task\n', worktreePath);
    const head = await repo.commitAll('task work', worktreePath);

    const error = await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnmergedBranchError);
    expect((error as UnmergedBranchError).message).toMatch(
      /^Branch task-1 has 1 commit that no other branch holds \(changing a\.txt\)/,
    );
    expect(await exists(worktreePath)).toBe(true);
    expect(await repo.run(['rev-parse', 'task-1'])).toBe(head);

    const forced = await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base, force: true });
    expect(forced).toEqual({ removedWorktree: true, deletedBranch: true });
    expect(await exists(worktreePath)).toBe(false);
    expect(await branches()).toBe('main');
  });

  it('counts a base that is on no branch (a snapshot of uncommitted edits) as not the task’s own work', async () => {
    await repo.write('a.txt', 'the user’s uncommitted edit\n');
    const snapshotBase = await repo.run(['stash', 'create']);
    const path = join(parent, 'task-2');
    await repo.run(['worktree', 'add', '-q', '-b', 'task-2', path, snapshotBase]);

    expect(await discardWorkspace(repo.root, { worktreePath: path, branch: 'task-2', base: snapshotBase })).toEqual({
      removedWorktree: true,
      deletedBranch: true,
    });
  });

  it('deletes the branch of a worktree whose directory was already deleted by hand', async () => {
    await rm(worktreePath, { recursive: true, force: true });
    expect(await discardWorkspace(repo.root, { worktreePath, branch: 'task-1', base })).toEqual({
      removedWorktree: false,
      deletedBranch: true,
    });
    expect(await branches()).toBe('main');
  });
});
