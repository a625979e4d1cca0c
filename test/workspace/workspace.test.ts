import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceError } from '../../src/workspace/workspace-error.js';
import { branchName, finishWorkspace, prepareWorkspace } from '../../src/workspace/workspace.js';
import { globMatcher } from '../../src/workspace/file-glob.js';
import { gitIn, makeRepository } from '../support/git-repo.js';

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'cw-workspace-')));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a task workspace', () => {
  it('is found again by a re-run of the task, with what the earlier attempt left in it', async () => {
    const repo = await makeRepository(join(dir, 'repo'), { 'pkg/a.txt': 'a\n' });
    const request = {
      taskId: 42,
      prompt: 'Add a B',
      workingDirectory: join(repo, 'pkg'),
      baseCommit: gitIn(repo, 'rev-parse', 'HEAD'),
      worktreesDir: join(dir, 'worktrees'),
    };
    const first = await prepareWorkspace(request);
    expect(first).toMatchObject({ branch: 'claude-worker/42-add-a-b', reused: false, cwd: join(first.worktreePath, 'pkg') });
    await writeFile(join(first.cwd, 'b.txt'), 'half done\n');

    const again = await prepareWorkspace(request);
    expect(again).toEqual({ ...first, reused: true });
    expect(await readFile(join(again.cwd, 'b.txt'), 'utf8')).toBe('half done\n');
    const finished = await finishWorkspace(again, 42, 'completed');
    expect(finished).toMatchObject({ committedLeftovers: true, changes: { files: 1, insertions: 1, deletions: 0 } });
    // The agent's own commits are kept, and a finish with nothing left commits nothing.
    const unchanged = await finishWorkspace(again, 42, 'completed');
    expect(unchanged).toEqual({ ...finished, committedLeftovers: false });
    expect(gitIn(repo, 'rev-list', '--count', 'claude-worker/42-add-a-b')).toBe('2');
  });

  it('refuses a path that holds something else, and a directory that is no longer in a repository', async () => {
    const repo = await makeRepository(join(dir, 'repo'));
    const request = {
      taskId: 1,
      prompt: 'x',
      workingDirectory: repo,
      baseCommit: gitIn(repo, 'rev-parse', 'HEAD'),
      worktreesDir: dir,
    };
    const { worktreePath } = await prepareWorkspace({ ...request, worktreesDir: join(dir, 'first') });
    await rm(join(worktreePath, '.git'));
    const error = await prepareWorkspace({ ...request, worktreesDir: join(dir, 'first') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceError);
    expect((error as Error).message).toMatch(/exists but is not a worktree of .*; move it away/);
    await expect(prepareWorkspace({ ...request, workingDirectory: dir })).rejects.toThrow(/is no longer inside a git repository/);
  });

  it('names branches after the task and the first words of its prompt', () => {
    expect(branchName(7, '[fake:slow] Fix the Login-Bug in ./src/auth.ts now, please')).toBe(
      'claude-worker/7-fix-the-login-bug-in',
    );
    expect(branchName(8, '!!!')).toBe('claude-worker/8');
  });
});

describe('worktree.copy patterns', () => {
  it('match names at any depth with * and ?, or paths from the root when they hold a /', () => {
    const env = globMatcher('.env*');
    expect(['.env', '.env.local', 'app/.env.test'].every(env)).toBe(true);
    expect(env('app/env')).toBe(false);
    expect(globMatcher('config/?.json')('config/a.json')).toBe(true);
    expect(globMatcher('config/?.json')('x/config/a.json')).toBe(false);
    expect(globMatcher('a.b')('axb')).toBe(false);
  });
});
