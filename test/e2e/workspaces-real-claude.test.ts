/**
 * Tasks in worktrees with the REAL Claude Code binary against the loopback
 * API stand-in, through a real server process, on real git repositories:
 * parallel tasks on one repository each get a branch of their own and leave
 * the person's checkout alone, their branches can be reviewed and merged, and
 * an agent stopped mid-run (cancelled, or its server killed) loses nothing.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { realClaudeEnv } from '../support/agent-env.js';
import {
  startFakeAnthropicApi,
  WRITTEN_CONTENT,
  type FakeAnthropicApi,
  type FakeApiOptions,
} from '../support/fake-anthropic-api.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A temporary home holding a repository `repo` with one commit. */
async function homeWithRepository(): Promise<{ home: string; repo: string }> {
  const home = await realpath(await mkdtemp(join(tmpdir(), 'cw-ws-real-')));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return { home, repo: await makeRepository(join(home, 'repo'), { 'README.md': 'hello\n', 'shared.txt': 'base\n' }) };
}

async function standIn(options: FakeApiOptions = {}): Promise<FakeAnthropicApi> {
  const api = await startFakeAnthropicApi(options);
  cleanups.push(() => api.close());
  return api;
}

/** A server whose agents are the real Claude Code talking to `api`; `home` holds its database, logs and worktrees. */
async function serverAgainst(api: FakeAnthropicApi, home: string, workers = 1): Promise<ServerProcess> {
  const env = { ...realClaudeEnv(api.url, home), CLAUDE_WORKER_HOME: join(home, 'worker') };
  const server = await startServerProcess(env, { workers });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  });
  return server;
}

/**
 * Submits a task whose model (a stand-in with `answerOnly: 1`) answers with a
 * Write tool use and then never again; resolves once the file is written,
 * which the second request, carrying the tool's result, tells.
 */
async function submitStuckAfterWrite(
  server: ServerProcess,
  api: FakeAnthropicApi,
  repo: string,
  options: { timeout_seconds?: number } = {},
): Promise<Task> {
  const { task } = await server.client.submit({
    execution_prompt: 'Write the partial file [write:partial.txt]',
    working_directory: repo,
    permission_mode: 'acceptEdits',
    ...options,
  });
  await api.waitForRequest((request) => JSON.stringify(request.body?.messages ?? []).includes('tool_result'));
  return task;
}

/** What the person sees of their checkout. */
const checkout = (repo: string) => ({ head: gitIn(repo, 'rev-parse', 'HEAD'), status: gitIn(repo, 'status', '--porcelain') });

it('two tasks on one repository write the same file on branches of their own, and only the first merges', async () => {
  const { home, repo } = await homeWithRepository();
  const before = checkout(repo);
  const server = await serverAgainst(await standIn(), home, 2);

  const submitted = await Promise.all(
    ['one', 'two'].map((name) =>
      server.client.submit({
        execution_prompt: `Put ${name} in the shared file [bash:printf 'from task ${name}\\n' > shared.txt]`,
        working_directory: repo,
        permission_mode: 'bypassPermissions',
      }),
    ),
  );
  const [first, second] = await Promise.all(submitted.map(({ task }) => taskEnded(server, task.id)));
  for (const [task, name] of [
    [first!, 'one'],
    [second!, 'two'],
  ] as const) {
    expect(task).toMatchObject({ status: 'completed', isolation: 'worktree', base_commit: before.head });
    expect(gitIn(repo, 'rev-parse', task.branch!)).toBe(task.head_commit);
    expect(gitIn(repo, 'show', `${task.branch!}:shared.txt`)).toBe(`from task ${name}`);
    const diff = await server.client.diff(task.id);
    expect(diff.text).toContain('-base');
    expect(diff.text).toContain(`+from task ${name}`);
  }
  expect(first!.branch).not.toBe(second!.branch);
  // The person's checkout saw none of it.
  expect(checkout(repo)).toEqual(before);
  expect(await readFile(join(repo, 'shared.txt'), 'utf8')).toBe('base\n');

  const merged = await server.client.merge(first!.id);
  expect(merged).toMatchObject({ into: 'main', fast_forward: true, merge_commit: first!.head_commit });
  const afterFirst = {
    ...checkout(repo),
    branches: gitIn(repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  };
  expect(afterFirst).toMatchObject({ head: first!.head_commit, status: '' });

  const refused = server.client.merge(second!.id);
  await expect(refused).rejects.toMatchObject({ code: 'conflict' });
  await expect(refused).rejects.toThrow(/shared\.txt/);
  expect({ ...checkout(repo), branches: gitIn(repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads') }).toEqual(
    afterFirst,
  );
  expect(gitIn(repo, 'rev-parse', second!.branch!)).toBe(second!.head_commit);
  expect(await readFile(join(repo, 'shared.txt'), 'utf8')).toBe('from task one\n');
});

it('a task cancelled mid-run keeps its partial edit, committed on its branch', async () => {
  const { home, repo } = await homeWithRepository();
  const before = checkout(repo);
  const api = await standIn({ answerOnly: 1 });
  const server = await serverAgainst(api, home);

  const task = await submitStuckAfterWrite(server, api, repo);
  await server.client.cancel(task.id);
  const done: Task = await taskEnded(server, task.id);

  expect(done.status).toBe('cancelled');
  expect(done.head_commit).not.toBe(before.head);
  expect(gitIn(repo, 'rev-parse', done.branch!)).toBe(done.head_commit);
  expect(gitIn(repo, 'show', `${done.branch!}:partial.txt`)).toBe(WRITTEN_CONTENT.trim());
  expect(gitIn(repo, 'log', '-1', '--format=%an%n%B', done.branch!)).toMatch(/^claude-worker\n[\s\S]*cancelled/);
  expect(gitIn(done.worktree_path!, 'status', '--porcelain')).toBe('');
  expect(checkout(repo)).toEqual(before);
});

it('a task that runs past its timeout keeps its partial edit, committed on its branch', async () => {
  const { home, repo } = await homeWithRepository();
  const before = checkout(repo);
  const api = await standIn({ answerOnly: 1 });
  const server = await serverAgainst(api, home);

  // Long enough for the agent to start and write under load; the stand-in then never answers again.
  const task = await submitStuckAfterWrite(server, api, repo, { timeout_seconds: 10 });
  const done: Task = await taskEnded(server, task.id);

  expect(done).toMatchObject({ status: 'failed', error_code: 'timeout' });
  expect(gitIn(repo, 'rev-parse', done.branch!)).toBe(done.head_commit);
  expect(gitIn(repo, 'show', `${done.branch!}:partial.txt`)).toBe(WRITTEN_CONTENT.trim());
  expect(gitIn(repo, 'log', '-1', '--format=%an%n%B', done.branch!)).toMatch(/^claude-worker\n[\s\S]*timed out/);
  expect(gitIn(done.worktree_path!, 'status', '--porcelain')).toBe('');
  expect(checkout(repo)).toEqual(before);
});

it('a directory outside any git repository runs in place, as before', async () => {
  const { home } = await homeWithRepository();
  const plain = join(home, 'plain');
  await mkdir(plain);
  const server = await serverAgainst(await standIn(), home);

  const { task } = await server.client.submit({
    execution_prompt: 'Write here [write:here.txt]',
    working_directory: plain,
    permission_mode: 'acceptEdits',
  });
  const done = await taskEnded(server, task.id);

  expect(done).toMatchObject({ status: 'completed', isolation: 'none', branch: null, worktree_path: null, base_commit: null });
  expect(await readFile(join(plain, 'here.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
  await expect(server.client.diff(task.id)).rejects.toMatchObject({ code: 'conflict' });
});

it('a task whose server was killed with SIGKILL resumes in its worktree and its branch holds the edit', async () => {
  const { home, repo } = await homeWithRepository();
  const before = checkout(repo);
  const stuck = await standIn({ answerOnly: 1 });
  const first = await serverAgainst(stuck, home);

  const task = await submitStuckAfterWrite(first, stuck, repo);
  const running = await waitFor(
    async () => {
      const current = await first.client.get(task.id);
      return current.session_id && current.worktree_path ? current : null;
    },
    { what: 'the session and worktree to be recorded' },
  );
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  // The edit is in the worktree, not yet committed: the kill left it there.
  expect(await readFile(join(running.worktree_path!, 'partial.txt'), 'utf8')).toBe(WRITTEN_CONTENT);

  const second = await serverAgainst(await standIn({ replyText: 'Finished after the restart.' }), home);
  const done = await taskEnded(second, task.id);

  expect(done).toMatchObject({
    status: 'completed',
    attempts: 2,
    final_summary: 'Finished after the restart.',
    worktree_path: running.worktree_path,
    branch: running.branch,
    base_commit: before.head,
  });
  expect(await second.client.logs(task.id)).toContain('[resume] continuing session');
  expect(gitIn(repo, 'rev-parse', done.branch!)).toBe(done.head_commit);
  expect(gitIn(repo, 'show', `${done.branch!}:partial.txt`)).toBe(WRITTEN_CONTENT.trim());
  expect(gitIn(done.worktree_path!, 'status', '--porcelain')).toBe('');
  expect(checkout(repo)).toEqual(before);
  expect(await second.stop()).toBe(0);
});
