import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { Isolation } from '../../src/core/task.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { gitIn, makeRepository, writeFiles } from '../support/git-repo.js';

let dir: string;
let store: TaskStore;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'cw-submit-ws-')));
  store = await openSqliteStore(join(dir, 'tasks.db'));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function serviceWith(isolation?: Isolation | null): TaskService {
  const config = { concurrency: 1, permissionMode: 'acceptEdits' as const, defaultTimeoutSeconds: 60, maxAttempts: 1 };
  return createLocalTaskService({
    store,
    logs: new TaskLogs(join(dir, 'logs'), store),
    config: isolation === undefined ? config : { ...config, isolation },
  });
}

async function refusal(service: TaskService, input: Record<string, unknown>): Promise<Record<string, string>> {
  const error = await service.submit({ execution_prompt: 'Fix it', ...input } as never).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect((await service.list()).tasks).toEqual([]);
  return Object.fromEntries((error as ValidationError).issues.map((i) => [i.field, i.message]));
}

describe('the workspace of a submitted task', () => {
  it('is a worktree from HEAD, fixed at submit, for a directory in a repository with a commit', async () => {
    const repo = await makeRepository(join(dir, 'repo'), { 'src/a.ts': 'a\n' });
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const { task } = await serviceWith().submit({ execution_prompt: 'Fix it', working_directory: join(repo, 'src') });
    await writeFiles(repo, { 'src/a.ts': 'b\n' });
    gitIn(repo, 'commit', '-qam', 'later');
    expect(task).toMatchObject({ isolation: 'worktree', base_commit: head, branch: null, changes: null });
    expect((await serviceWith().get(task.id)).base_commit).toBe(head);
  });

  it('starts from the commit --base names', async () => {
    const repo = await makeRepository(join(dir, 'repo'));
    const first = gitIn(repo, 'rev-parse', 'HEAD');
    gitIn(repo, 'tag', 'v1');
    await writeFiles(repo, { 'b.txt': 'b\n' });
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', 'second');
    const { task } = await serviceWith().submit({ execution_prompt: 'Fix it', working_directory: repo, base: 'v1' });
    expect(task.base_commit).toBe(first);
  });

  it('with include_uncommitted, starts from a snapshot of the tracked changes, or HEAD when there are none', async () => {
    const repo = await makeRepository(join(dir, 'repo'), { 'a.txt': 'committed\n' });
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const clean = await serviceWith().submit({ execution_prompt: 'x', working_directory: repo, include_uncommitted: true });
    expect(clean.task.base_commit).toBe(head);

    await writeFile(join(repo, 'a.txt'), 'edited\n');
    const { task } = await serviceWith().submit({ execution_prompt: 'y', working_directory: repo, include_uncommitted: true });
    expect(task.base_commit).not.toBe(head);
    expect(gitIn(repo, 'show', `${task.base_commit}:a.txt`)).toBe('edited');
    // Nothing of the user's changed: the edit is still uncommitted, and the stash is empty.
    expect(gitIn(repo, 'status', '--porcelain')).toBe('M a.txt');
    expect(gitIn(repo, 'stash', 'list')).toBe('');
  });

  it('runs in place for a directory outside any repository, or when the server default is none', async () => {
    const plain = join(dir, 'plain');
    await mkdir(plain);
    expect((await serviceWith().submit({ execution_prompt: 'x', working_directory: plain })).task).toMatchObject({
      isolation: 'none',
      base_commit: null,
    });
    const repo = await makeRepository(join(dir, 'repo'));
    expect((await serviceWith('none').submit({ execution_prompt: 'x', working_directory: repo })).task).toMatchObject({
      isolation: 'none',
      base_commit: null,
    });
  });

  it('runs in place in a repository with no commit, unless a worktree is asked for', async () => {
    const repo = await makeRepository(join(dir, 'empty'), {});
    expect((await serviceWith().submit({ execution_prompt: 'x', working_directory: repo })).task.isolation).toBe('none');
    await store.close();
    store = await openSqliteStore(join(dir, 'other.db'));
    const issues = await refusal(serviceWith(), { working_directory: repo, isolation: 'worktree' });
    expect(issues.isolation).toMatch(/needs a commit to start from, and the repository at .*empty has none/);
  });

  it('refuses a base that names no commit, and a worktree outside a repository, storing nothing', async () => {
    const repo = await makeRepository(join(dir, 'repo'));
    expect((await refusal(serviceWith(), { working_directory: repo, base: 'no-such-branch' })).base).toBe(
      `"no-such-branch" names no commit in the repository at ${repo}`,
    );
    const plain = join(dir, 'plain');
    await mkdir(plain);
    expect((await refusal(serviceWith(), { working_directory: plain, isolation: 'worktree' })).isolation).toMatch(
      /isolation worktree needs a git repository, and .*plain is not inside one; use isolation none/,
    );
    expect((await refusal(serviceWith('worktree'), { working_directory: plain })).working_directory).toMatch(
      /^CLAUDE_WORKER_ISOLATION=worktree needs a git repository/,
    );
    expect((await refusal(serviceWith(), { working_directory: plain, base: 'HEAD' })).base).toMatch(
      /applies only to isolation worktree/,
    );
  });

  it('settles each task of an orchestration, naming the task of a bad base', async () => {
    const repo = await makeRepository(join(dir, 'repo'));
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const service = serviceWith();
    const error = await service
      .submitOrchestration({
        tasks: [
          { identifier: 'a', execution_prompt: 'x', working_directory: repo },
          { identifier: 'b', execution_prompt: 'y', working_directory: repo, base: 'nope' },
        ],
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { field: 'tasks[1].base', message: `"nope" names no commit in the repository at ${repo}` },
    ]);
    const { orchestration } = await service.submitOrchestration({
      tasks: [{ identifier: 'a', execution_prompt: 'x', working_directory: repo }],
    });
    expect(orchestration.tasks[0]).toMatchObject({ isolation: 'worktree', base_commit: head });
  });
});
