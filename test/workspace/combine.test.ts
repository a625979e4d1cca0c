import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { combineHeads } from '../../src/workspace/combine.js';
import { MergeConflictError } from '../../src/workspace/errors.js';
import { createRepo, isolateGitConfig, snapshot, type TestRepo } from '../support/git-repo.js';

isolateGitConfig();

const LINES = 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n';

let repo: TestRepo;
beforeEach(async () => {
  repo = await createRepo({ 'shared.txt': LINES });
});
afterEach(async () => {
  await repo.remove();
});

describe('combineHeads', () => {
  it('returns the only head as it is', async () => {
    const head = await repo.branchWith('b', { 'shared.txt': 'changed\n' });
    expect(await combineHeads(repo.root, [head], 'Combine')).toBe(head);
  });

  it('merges heads that change the same file in different places into one commit holding both changes', async () => {
    const b = await repo.branchWith('b', { 'shared.txt': LINES.replace('line 1', 'line 1 by b') });
    const c = await repo.branchWith('c', { 'shared.txt': LINES.replace('line 6', 'line 6 by c'), 'c.txt': 'c\n' });
    const before = await snapshot(repo, ['shared.txt']);

    const combined = await combineHeads(repo.root, [b, c], 'Start from b and c');
    expect(await repo.run(['show', `${combined}:shared.txt`])).toBe(
      LINES.replace('line 1', 'line 1 by b').replace('line 6', 'line 6 by c').trimEnd(),
    );
    expect(await repo.run(['show', `${combined}:c.txt`])).toBe('c');
    expect(await repo.run(['log', '-1', '--format=%P%n%an%n%s', combined])).toBe(`${b} ${c}\nclaude-worker\nStart from b and c`);
    expect(await snapshot(repo, ['shared.txt'])).toEqual(before);
  });

  it('skips heads the result already contains, and starts from a head that contains the ones before it', async () => {
    const b = await repo.branchWith('b', { 'b.txt': 'b\n' });
    const bLater = await repo.branchWith('b-later', { 'b-later.txt': 'b later\n' }, b);
    const c = await repo.branchWith('c', { 'c.txt': 'c\n' });

    const combined = await combineHeads(repo.root, [b, bLater, c, b], 'Combine');
    expect(await repo.run(['log', '-1', '--format=%P', combined])).toBe(`${bLater} ${c}`);
    expect(await repo.run(['ls-tree', '--name-only', combined])).toBe('b-later.txt\nb.txt\nc.txt\nshared.txt');
  });

  it('names the file when two heads change the same lines, and writes no ref', async () => {
    const b = await repo.branchWith('b', { 'shared.txt': LINES.replace('line 3', 'b was here') });
    const c = await repo.branchWith('c', { 'shared.txt': LINES.replace('line 3', 'c was here') });
    const before = await snapshot(repo, ['shared.txt']);

    const error = await combineHeads(repo.root, [b, c], 'Combine').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MergeConflictError);
    expect((error as MergeConflictError).files).toEqual(['shared.txt']);
    expect((error as MergeConflictError).message).toContain('conflicts in shared.txt');
    expect(await snapshot(repo, ['shared.txt'])).toEqual(before);
  });
});
