import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MergeConflictError } from '../../src/workspace/errors.js';
import { startPoint } from '../../src/workspace/start-point.js';
import { createRepo, isolateGitConfig, type TestRepo } from '../support/git-repo.js';

isolateGitConfig();

let repo: TestRepo;
let base: string;
beforeEach(async () => {
  repo = await createRepo({ 'shared.txt': 'line 1\nline 2\nline 3\nline 4\nline 5\n' });
  base = await repo.run(['rev-parse', 'HEAD']);
});
afterEach(async () => {
  await repo.remove();
});

describe('startPoint', () => {
  it('is the base commit for a task without work to start from', async () => {
    expect(await startPoint(repo.root, 7, base, [])).toEqual({ commit: base, from: [], elsewhere: [] });
  });

  it('leaves out a dependency whose head is not in the repository (its task worked in another one)', async () => {
    const b = await repo.branchWith('b', { 'b.txt': 'b\n' });
    const other = await createRepo({ 'other.txt': 'other\n' });
    try {
      const elsewhere = await other.run(['rev-parse', 'HEAD']);
      expect(
        await startPoint(repo.root, 7, base, [
          { name: 'b', head: b },
          { name: 'x', head: elsewhere },
        ]),
      ).toEqual({ commit: b, from: ['b'], elsewhere: ['x'] });
    } finally {
      await other.remove();
    }
  });

  it('names the dependencies and the files when their work conflicts', async () => {
    const b = await repo.branchWith('b', { 'shared.txt': 'line 1\nline 2\nby b\nline 4\nline 5\n' });
    const c = await repo.branchWith('c', { 'shared.txt': 'line 1\nline 2\nby c\nline 4\nline 5\n' });
    const refused = startPoint(repo.root, 7, base, [
      { name: 'b', head: b },
      { name: 'c', head: c },
    ]);
    await expect(refused).rejects.toBeInstanceOf(MergeConflictError);
    await expect(refused).rejects.toMatchObject({
      files: ['shared.txt'],
      message: expect.stringMatching(
        /^Merging the work of b \([0-9a-f]{12}\) and c \([0-9a-f]{12}\), the tasks it depends on, conflicts in shared\.txt\. .*task 7 cannot start/,
      ),
    });
  });
});
