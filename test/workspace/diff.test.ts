import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffStat, taskDiff } from '../../src/workspace/diff.js';
import { createRepo, isolateGitConfig, type TestRepo } from '../support/git-repo.js';

isolateGitConfig();

let repo: TestRepo;
let base: string;
beforeEach(async () => {
  repo = await createRepo({ 'a.txt': 'one\ntwo\nthree\n', 'old-name.txt': 'moved content\n'.repeat(20), 'gone.txt': 'bye\n' });
  base = await repo.run(['rev-parse', 'HEAD']);
});
afterEach(async () => {
  await repo.remove();
});

describe('taskDiff', () => {
  it('returns the whole diff from base to head when it fits', async () => {
    const head = await repo.branchWith('task', { 'a.txt': 'one\nTWO\nthree\n' });
    const diff = await taskDiff(repo.root, base, head, { maxBytes: 10_000 });
    expect(diff.truncated).toBe(false);
    expect(diff.text).toContain('-two\n+TWO\n');
    expect(diff.totalBytes).toBe(Buffer.byteLength(diff.text));
  });

  it('cuts a diff larger than maxBytes at a line end and says how much is shown', async () => {
    const head = await repo.branchWith('task', { 'big.txt': 'é a line of text\n'.repeat(1000) });
    const diff = await taskDiff(repo.root, base, head, { maxBytes: 1000 });
    expect(diff.truncated).toBe(true);
    expect(diff.totalBytes).toBeGreaterThan(17_000);
    const [shown, note] = diff.text.split(/\n(?=\[diff cut)/);
    expect(Buffer.byteLength(shown!)).toBeLessThanOrEqual(1000);
    expect(shown!.endsWith('+é a line of text')).toBe(true);
    expect(note).toBe(`[diff cut: ${Buffer.byteLength(shown!) + 1} of ${diff.totalBytes} bytes shown]\n`);
  });
});

describe('diffStat', () => {
  it('counts insertions and deletions per file, with renames and binary files', async () => {
    const head = await repo.branchWith('task', {
      'a.txt': 'one\nTWO\nthree\nfour\n',
      'new-name.txt': 'moved content\n'.repeat(20),
      'image.bin': '\0\x01\x02binary',
    });
    await repo.run(['checkout', '-q', 'task']);
    await repo.run(['rm', '-q', 'old-name.txt', 'gone.txt']);
    const final = await repo.commitAll('rename and delete');
    await repo.run(['checkout', '-q', 'main']);
    expect(head).not.toBe(final);

    const stat = await diffStat(repo.root, base, final);
    expect(stat.files).toEqual([
      { path: 'a.txt', insertions: 2, deletions: 1, binary: false },
      { path: 'gone.txt', insertions: 0, deletions: 1, binary: false },
      { path: 'image.bin', insertions: 0, deletions: 0, binary: true },
      { path: 'new-name.txt', previousPath: 'old-name.txt', insertions: 0, deletions: 0, binary: false },
    ]);
    expect(stat.insertions).toBe(2);
    expect(stat.deletions).toBe(2);
  });
});
