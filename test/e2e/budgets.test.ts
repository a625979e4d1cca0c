/**
 * Budgets through a real server process: a task's max_budget_usd stops the
 * REAL Claude Code binary (against the loopback API stand-in, whose replies
 * carry token usage, so cost accrues) and keeps its partial work; an
 * orchestration whose tasks spent its budget_usd stops its running tasks and
 * skips the rest, with agents (the fake-claude fixture) that report a cost.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { FAKE_CLAUDE, startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempHome(): Promise<string> {
  const home = await realpath(await mkdtemp(join(tmpdir(), 'cw-budgets-')));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function server(env: Record<string, string | undefined>, workers: number): Promise<ServerProcess> {
  const started = await startServerProcess(env, { workers });
  cleanups.push(async () => {
    if (started.child.exitCode === null && started.child.signalCode === null) await started.stop();
  });
  return started;
}

it('a task past its max_budget_usd ends failed with max_budget, its partial work committed on its branch', async () => {
  const home = await tempHome();
  const repo = await makeRepository(join(home, 'repo'), { 'README.md': 'hello\n' });
  // Every turn is a Write of turn-<n>.txt, so the agent works until something stops it.
  const api = await startFakeAnthropicApi({ alwaysToolUse: true });
  cleanups.push(() => api.close());
  const worker = await server({ ...realClaudeEnv(api.url, home), CLAUDE_WORKER_HOME: join(home, 'worker') }, 1);

  // Claude Code prices a turn of the stand-in (50 tokens in, 12 out) at $0.00044: the first turn
  // fits in this budget, the second goes past it.
  const { task } = await worker.client.submit({
    execution_prompt: 'Write files until you are stopped',
    working_directory: repo,
    permission_mode: 'acceptEdits',
    max_budget_usd: 0.0006,
  });
  expect(task.max_budget_usd).toBe(0.0006);

  const ended = await taskEnded(worker, task.id);
  expect(ended).toMatchObject({ status: 'failed', error_code: 'max_budget', max_budget_usd: 0.0006 });
  expect(ended.error_message).toMatch(/budget/i);
  expect(ended.cost_usd).toBeGreaterThanOrEqual(0.0006);
  // Claude Code stopped after the turn that spent the budget.
  expect(api.requests.filter((request) => request.path.startsWith('/v1/messages?'))).toHaveLength(2);
  // What its turns wrote is kept: committed on the task's branch.
  expect(gitIn(repo, 'rev-parse', ended.branch!)).toBe(ended.head_commit);
  expect(ended.head_commit).not.toBe(ended.base_commit);
  const written = gitIn(repo, 'ls-tree', '--name-only', ended.branch!)
    .split('\n')
    .filter((name) => name.startsWith('turn-'));
  expect(written.length).toBeGreaterThan(0);
  for (const name of written) expect(gitIn(repo, 'show', `${ended.branch!}:${name}`)).toBe('again');
});

it('an orchestration whose tasks spent its budget stops its running task and skips the rest, with budget_exceeded', async () => {
  const home = await tempHome();
  const worker = await server(
    {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_WORKER_HOME: home,
      CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
      CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
    },
    2,
  );
  // Every run of the fixture reports $0.0123; `slow` runs until it is stopped.
  const task = (identifier: string, tag: string, depends_on: string[] = []) => ({
    identifier,
    depends_on,
    working_directory: home,
    isolation: 'none' as const,
    execution_prompt: `[fake:${tag}] Work on ${identifier}`,
  });
  const { orchestration } = await worker.client.submitOrchestration({
    name: 'capped',
    budget_usd: 0.01,
    failure_policy: 'continue',
    tasks: [task('slow', 'hang'), task('spender', 'success'), task('after', 'success', ['spender'])],
  });
  expect(orchestration).toMatchObject({ budget_usd: 0.01, spent_usd: 0 });

  const ids = Object.fromEntries(orchestration.tasks.map((t) => [t.identifier, t.id]));
  const [slow, spender, after] = await Promise.all(['slow', 'spender', 'after'].map((name) => taskEnded(worker, ids[name]!)));
  expect(spender).toMatchObject({ status: 'completed', cost_usd: 0.0123 });
  expect(slow).toMatchObject({ status: 'failed', error_code: 'budget_exceeded' });
  expect(slow!.error_message).toMatch(/Stopped while it ran.*budget/);
  expect(after).toMatchObject({ status: 'skipped', error_code: 'budget_exceeded', started_at: null });
  expect(await worker.client.logs(slow!.id)).toMatch(/ === failed \(budget_exceeded\): Stopped while it ran/);

  const final = await waitFor(async () => {
    const found = await worker.client.getOrchestration(orchestration.id);
    return found.status === 'running' ? null : found;
  });
  expect(final).toMatchObject({ status: 'failed', budget_usd: 0.01 });
  expect(final.spent_usd).toBeGreaterThanOrEqual(0.0123);
});
