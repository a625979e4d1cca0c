import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, GitError } from '../../src/workspace/git-command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-git-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('git', () => {
  it('runs in the directory given, ignoring a GIT_DIR inherited from the environment', async () => {
    await git(dir, ['init', '-q', '-b', 'main']);
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(dir, 'not-a-repository');
    try {
      const { stdout } = await git(dir, ['rev-parse', '--show-toplevel']);
      expect(stdout.trim()).toBe(dir);
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  it('throws a GitError carrying what git said, unless the exit code is an expected answer', async () => {
    const error = await git(dir, ['rev-parse', 'HEAD']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).exitCode).toBe(128);
    expect((error as GitError).message).toMatch(/^git rev-parse HEAD failed \(exit 128\): fatal: not a git repository/);
    await writeFile(join(dir, 'a.txt'), 'a\n');
    const answered = await git(dir, ['diff', '--no-index', '--quiet', '/dev/null', join(dir, 'a.txt')], { allowExitCodes: [1] });
    expect(answered.exitCode).toBe(1);
  });
});
