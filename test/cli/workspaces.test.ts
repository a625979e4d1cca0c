import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';
import { gitIn, makeRepository } from '../support/git-repo.js';

let cli: DaemonHome;

beforeEach(async () => {
  cli = await createDaemonHome(2);
});

afterEach(async () => {
  await cli.dispose();
});

describe('claude-worker run in a git repository', () => {
  it('runs the task on a branch of its own and shows it in status and list, the checkout untouched', async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const run = await cli.run(['run', '[fake:success] Write the output file', '--dir', repo, '--watch', '--json']);
    expect(run.code).toBe(0);
    const task = JSON.parse(run.stdout) as { id: number; branch: string; isolation: string; base_commit: string };
    expect(task).toMatchObject({
      isolation: 'worktree',
      base_commit: head,
      branch: `claude-worker/${task.id}-write-the-output-file`,
    });
    expect(gitIn(repo, 'show', `${task.branch}:fake-output.txt`)).toContain('Write the output file');
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');

    const status = await cli.run(['status', String(task.id)]);
    expect(status.stdout).toMatch(new RegExp(`^Branch: +${task.branch} \\(\\+1 -0 in 1 files\\)$`, 'm'));
    expect((await cli.run(['list'])).stdout).toMatch(new RegExp(`${task.branch} \\+1 -0$`, 'm'));
  });

  it('exits 2 and stores nothing for a base that names no commit, a worktree outside a repository or in one with no commits', async () => {
    const repo = await makeRepository(join(cli.home, 'repo'));
    const badBase = await cli.run(['run', 'Fix the bug in ./src', '--dir', repo, '--base', 'no-such-branch']);
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toMatch(/base: "no-such-branch" names no commit in the repository at /);
    const outside = await cli.run(['run', 'Fix the bug in ./src', '--dir', cli.project, '--isolation', 'worktree']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/isolation: isolation worktree needs a git repository, and .* is not inside one/);
    const empty = await makeRepository(join(cli.home, 'empty'), {});
    const noCommit = await cli.run(['run', 'Fix the bug in ./src', '--dir', empty, '--isolation', 'worktree']);
    expect(noCommit.code).toBe(2);
    expect(noCommit.stderr).toMatch(/needs a commit to start from, and the repository at .* has none; commit first/);
    expect(JSON.parse((await cli.run(['list', '--json'])).stdout)).toMatchObject({ tasks: [] });
  });
});
