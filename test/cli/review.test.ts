import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';
import { gitIn, makeRepository } from '../support/git-repo.js';

let cli: DaemonHome;

beforeEach(async () => {
  cli = await createDaemonHome(2);
});

afterEach(async () => {
  await cli.dispose();
});

interface RunTask {
  id: number;
  branch: string;
  head_commit: string;
  worktree_path: string;
}

async function runTask(prompt: string, dir: string, ...options: string[]): Promise<RunTask> {
  const run = await cli.run(['run', prompt, '--dir', dir, '--watch', '--json', ...options]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as RunTask;
}

describe('claude-worker diff, merge, discard and open', () => {
  it('review two tasks that wrote one file: diff each, merge the first, refuse the second with the file named', async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const first = await runTask('[fake:success] First version', repo);
    const second = await runTask('[fake:success] Second version', repo);

    const diff = await cli.run(['diff', String(first.id)]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('+written by fake claude for: [fake:success] First version');
    expect(diff.stdout).not.toContain('\x1b[');
    const stat = await cli.run(['diff', String(second.id), '--stat', '--json']);
    expect(JSON.parse(stat.stdout)).toEqual({
      files: [{ path: 'fake-output.txt', insertions: 1, deletions: 0 }],
      insertions: 1,
      deletions: 0,
    });
    expect((await cli.run(['diff', String(second.id), '--stat'])).stdout).toMatch(/^\+1 -0 +fake-output\.txt$/m);

    const merged = await cli.run(['merge', String(first.id)]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain(
      `merged branch ${first.branch} into main, fast-forwarded to ${first.head_commit.slice(0, 12)}`,
    );
    expect(gitIn(repo, 'rev-parse', 'main')).toBe(first.head_commit);

    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const conflict = await cli.run(['merge', String(second.id), '--json']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(
      /error: Merging claude-worker\/.* into main conflicts in fake-output\.txt\. Nothing was changed\./,
    );
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(gitIn(repo, 'rev-parse', second.branch)).toBe(second.head_commit);

    const open = await cli.run(['open', String(second.id)]);
    expect(open).toMatchObject({ code: 0, stdout: `${second.worktree_path}\n` });

    const unmerged = await cli.run(['discard', String(second.id)]);
    expect(unmerged.code).toBe(2);
    expect(unmerged.stderr).toMatch(/has 1 commit that no other branch holds \(changing fake-output\.txt\)/);
    const forced = await cli.run(['discard', String(second.id), '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`removed worktree ${second.worktree_path} and branch ${second.branch}`);

    const gone = await cli.run(['open', String(second.id)]);
    expect(gone).toMatchObject({ code: 2, stdout: '' });
    expect(gone.stderr).toMatch(/no longer has its worktree/);
  });

  it('refuses a task that ran in place and a bad id with exit 2', async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const inPlace = await runTask('[fake:success] In place', repo, '--isolation', 'none');
    const diff = await cli.run(['diff', String(inPlace.id)]);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain(`ran in place (isolation none): its changes are in ${repo}, see git diff there.`);
    expect((await cli.run(['merge', 'abc'])).code).toBe(2);
    expect((await cli.run(['merge', '1', '--into'])).code).toBe(2);
  });

  it('refuses to merge a task that is still running with exit 2, changing nothing', async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const before = gitIn(repo, 'rev-parse', 'HEAD');
    const run = await cli.run(['run', '[fake:hang] Still at it', '--dir', repo, '--json']);
    const { id } = JSON.parse(run.stdout) as RunTask;
    const merge = await cli.run(['merge', String(id)]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(new RegExp(`Task ${id} is (pending|running)`));
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  it('merge --orchestration fast-forwards the checkout to the head of the last task, which holds the first', async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const graph = join(cli.home, 'graph.json');
    const task = (identifier: string, depends_on: string[]) => ({
      identifier,
      depends_on,
      execution_prompt: `[fake:success] Work on ${identifier}`,
      working_directory: repo,
      isolation: 'worktree',
    });
    await writeFile(graph, JSON.stringify({ tasks: [task('first', []), task('last', ['first'])] }));
    const run = await cli.run(['orchestrate', graph, '--wait', '--json']);
    expect(run.code).toBe(0);
    const orchestration = JSON.parse(run.stdout) as OrchestrationDetail;
    const last = orchestration.tasks.find((t) => t.identifier === 'last')!;

    expect((await cli.run(['merge'])).code).toBe(2);
    expect((await cli.run(['merge', String(last.id), '--orchestration', String(orchestration.id)])).code).toBe(2);
    expect(gitIn(repo, 'rev-parse', 'main')).not.toBe(last.head_commit);

    const merged = await cli.run(['merge', '--orchestration', String(orchestration.id)]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain(
      `Orchestration ${orchestration.id}: merged its work into main, fast-forwarded to ${last.head_commit!.slice(0, 12)}.`,
    );
    expect(gitIn(repo, 'rev-parse', 'main')).toBe(last.head_commit);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    const again = await cli.run(['merge', '--orchestration', String(orchestration.id), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ into: 'main', already_merged: true, merge_commit: last.head_commit });
  });
});
