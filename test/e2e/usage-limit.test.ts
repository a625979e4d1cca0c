/**
 * Unattended runs with the REAL Claude Code binary against the API stand-in:
 * a usage limit pauses the whole queue until it resets (also across a
 * kill -9 of the server), then one task goes first and the rest follow;
 * an overloaded API is retried, a rejected key is not; the daily budget
 * pauses claiming. The pause and its end reach a webhook receiver and the
 * event stream.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import type { StateEvent } from '../../src/core/events.js';
import type { Task } from '../../src/core/task.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type FakeApiOptions } from '../support/fake-anthropic-api.js';
import { CLI, startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const run = promisify(execFile);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How a Claude subscription signs in: its usage limit comes with the reset time. */
const OAUTH_LOGIN = { ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-test-token' };

interface Setup {
  home: string;
  project: string;
  api: FakeAnthropicApi;
  env: Record<string, string | undefined>;
}

async function setUp(apiOptions: FakeApiOptions, extraEnv: Record<string, string | undefined> = {}): Promise<Setup> {
  const home = await mkdtemp(join(tmpdir(), 'cw-limit-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const project = join(home, 'project');
  await mkdir(project);
  const api = await startFakeAnthropicApi(apiOptions);
  cleanups.push(() => api.close());
  const env = { ...realClaudeEnv(api.url, home, extraEnv), CLAUDE_WORKER_HOME: join(home, 'worker') };
  return { home, project, api, env };
}

async function startServer(setup: Setup): Promise<ServerProcess> {
  const server = await startServerProcess(setup.env, { workers: 1 });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  });
  return server;
}

/** A `claude-worker` command against `server`, as a user types it. */
async function cli(server: ServerProcess, setup: Setup, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], {
    env: { ...setup.env, CLAUDE_WORKER_SERVER_URL: server.url, NO_COLOR: '1' },
  });
  return stdout;
}

async function submitFour(server: ServerProcess, project: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const { task } = await server.client.submit({ execution_prompt: `Task ${i} [reply:done ${i}]`, working_directory: project });
    ids.push(task.id);
  }
  return ids;
}

/** The first task, sent back by the usage limit while the others wait. */
function limitHit(server: ServerProcess, id: number): Promise<Task> {
  return waitFor(
    async () => {
      const task = await server.client.get(id);
      return task.limit_hits > 0 && task.status === 'pending' ? task : null;
    },
    { what: `task ${id} to be sent back by the usage limit` },
  );
}

/** Claude Code names the reset in whole seconds. */
const resetOf = (untilMs: number) => Math.ceil(untilMs / 1000) * 1000;

/** The runner turns the reset into a wait from now, which the store adds to its own now: a few ms later. */
function expectAtReset(iso: string | null, resetMs: number): void {
  expect(Date.parse(iso!) - resetMs).toBeGreaterThanOrEqual(0);
  expect(Date.parse(iso!) - resetMs).toBeLessThan(1000);
}

async function expectAllCompletedAfter(server: ServerProcess, ids: number[], resetMs: number): Promise<Task[]> {
  const ended = [];
  for (const id of ids) ended.push(await taskEnded(server, id));
  for (const task of ended) {
    expect(task).toMatchObject({ status: 'completed', attempts: 1, error_code: null });
    // No task started inside the window: the last (only counted) attempt of each began after the reset.
    expect(Date.parse(task.started_at!)).toBeGreaterThanOrEqual(resetMs);
  }
  expect(ended.map((task) => task.limit_hits)).toEqual([1, 0, 0, 0]);
  return ended;
}

it('pauses the queue at a usage limit, then starts one task first and the rest after it, all completing by themselves', async () => {
  const secret = 'usage limit receiver secret';
  const receiver = await startWebhookReceiver(secret);
  cleanups.push(() => receiver.close());
  const setup = await setUp(
    {},
    { ...OAUTH_LOGIN, CLAUDE_WORKER_WEBHOOK_URL: receiver.url, CLAUDE_WORKER_WEBHOOK_SECRET: secret },
  );
  const server = await startServer(setup);
  // Long enough for the first task's Claude Code to start and meet it on a loaded machine.
  const until = Date.now() + 8000;
  setup.api.limitUntil(until);
  const ids = await submitFour(server, setup.project);

  const first = await limitHit(server, ids[0]!);
  expect(first).toMatchObject({ attempts: 0, error_code: 'usage_limit' });
  expectAtReset(first.not_before, resetOf(until));
  expect(first.session_id).not.toBeNull();
  const health = await server.client.health();
  expect(health.pause_reason).toBe('usage limit reached (five_hour)');
  expectAtReset(health.paused_until, resetOf(until));
  for (const id of ids.slice(1))
    expect(await server.client.get(id)).toMatchObject({ status: 'pending', attempts: 0, started_at: null });
  expect(await cli(server, setup, ['status', String(ids[0])])).toMatch(
    /waiting for the usage limit to reset at \d\d:\d\d \(in \d+ s\)/,
  );
  // A queued task says it waits for the pause.
  expect(await cli(server, setup, ['status', String(ids[1])])).toMatch(
    /^Queue:\s+queue paused: usage limit reached \(five_hour\); no task starts until \d\d:\d\d \(in \d+ s\)/m,
  );
  expect(await cli(server, setup, ['workers'])).toMatch(
    /^queue paused: usage limit reached \(five_hour\); no task starts until /,
  );
  expect(await cli(server, setup, ['server', 'status'])).toContain('queue paused: usage limit reached (five_hour)');
  expect(await server.client.logs(ids[0]!)).toMatch(
    /waiting for the usage limit to reset at \d\d:\d\d \(in \d+ s\); no task starts until then/,
  );

  const ended = await expectAllCompletedAfter(server, ids, resetOf(until));
  // Only the run that met the limit asked the API inside the window.
  expect(setup.api.limitedRequests).toBe(1);
  // One task went first; the others started once it got through.
  const [probe, ...rest] = [...ended].sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
  expect(await server.client.logs(probe!.id)).toContain('[limit] the API answers again');
  for (const task of rest) expect(Date.parse(task.started_at!)).toBeGreaterThanOrEqual(Date.parse(probe!.started_at!));
  expect((await server.client.health()).paused_until).toBeNull();

  // The receiver was told of the task sent back, the pause, and its end when the probe got through.
  const taskPaused = await receiver.waitFor((d) => d.event.type === 'task.paused', 'task.paused');
  expect(taskPaused.event.task).toMatchObject({ id: ids[0], limit_hits: 1 });
  expect(taskPaused.event.data).toEqual({ paused_until: expect.any(String), reason: 'usage limit reached (five_hour)' });
  expectAtReset(taskPaused.event.data!.paused_until as string, resetOf(until));
  const queuePaused = await receiver.waitFor((d) => d.event.type === 'queue.paused', 'queue.paused');
  expect(queuePaused.event.data).toEqual({ ...taskPaused.event.data, kind: 'usage_limit' });
  const resumed = await receiver.waitFor((d) => d.event.type === 'queue.resumed', 'queue.resumed');
  expect(resumed.event.data).toMatchObject({ kind: 'usage_limit', lifted_by: 'probe' });
  expect(receiver.received.every((d) => d.verified)).toBe(true);
  expect(new Set(receiver.received.filter((d) => d.event.type.startsWith('queue.')).map((d) => d.event.id)).size).toBe(2);
  // The event stream shows them too, in the order they happened.
  const shown = await eventsUntil(server, (event) => event.type === 'queue.resumed');
  expect(shown.map((event) => event.type).filter((type) => /paused|resumed/.test(type))).toEqual([
    'task.paused',
    'queue.paused',
    'queue.resumed',
  ]);
  expect(await server.stop()).toBe(0);
});

/** The event stream from its first event up to the first `last` accepts. */
async function eventsUntil(server: ServerProcess, last: (event: StateEvent) => boolean): Promise<StateEvent[]> {
  const seen: StateEvent[] = [];
  for await (const event of server.client.events({ after: 0 })) {
    seen.push(event);
    if (last(event)) return seen;
  }
  return seen;
}

it('keeps the pause through a kill -9 of the server, and the restarted server completes every task after the reset', async () => {
  const setup = await setUp({}, OAUTH_LOGIN);
  const first = await startServer(setup);
  // Long enough to meet it, kill the server and start another inside it.
  const until = Date.now() + 10_000;
  setup.api.limitUntil(until);
  const ids = await submitFour(first, setup.project);
  await limitHit(first, ids[0]!);
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');

  const second = await startServer(setup);
  expectAtReset((await second.client.health()).paused_until, resetOf(until));
  await expectAllCompletedAfter(second, ids, resetOf(until));
  expect(setup.api.limitedRequests).toBe(1);
  expect(await second.stop()).toBe(0);
});

it('lifts the pause by hand with claude-worker resume: the waiting tasks start at once', async () => {
  const until = Date.now() + 3600_000;
  const setup = await setUp({ usageLimitUntil: until }, OAUTH_LOGIN);
  const server = await startServer(setup);
  const ids = await submitFour(server, setup.project);
  await limitHit(server, ids[0]!);

  // The limit is over sooner than announced (the stand-in answers again).
  setup.api.limitUntil(0);
  expect(await cli(server, setup, ['resume'])).toMatch(
    /^Queue resumed \(it was paused: usage limit reached \(five_hour\), until /,
  );
  for (const id of ids) expect(await taskEnded(server, id)).toMatchObject({ status: 'completed' });
  expect(await cli(server, setup, ['resume'])).toBe('The queue was not paused.\n');
  expect(await server.stop()).toBe(0);
});

it('retries a task the API answered 529 overloaded with backoff, logging why, until it completes', async () => {
  const setup = await setUp({ failFirst: { count: 2, status: 529 } }, { CLAUDE_WORKER_RETRY_BACKOFF_MS: '200' });
  const server = await startServer(setup);
  const { task } = await server.client.submit({ execution_prompt: 'Task [reply:made it]', working_directory: setup.project });

  expect(await taskEnded(server, task.id)).toMatchObject({
    status: 'completed',
    attempts: 3,
    limit_hits: 0,
    final_summary: 'made it',
    error_code: null,
  });
  const retries = (await server.client.logs(task.id)).split('\n').filter((line) => line.includes('retrying in'));
  expect(retries).toHaveLength(2);
  expect(retries[0]).toMatch(
    /failed \(api_unavailable\): .*529.*; retrying in \d+ s \(attempt 2 of 3\), as the failure is transient/,
  );
  expect(await server.stop()).toBe(0);
});

it('does not retry a task whose API key was rejected (401)', async () => {
  const setup = await setUp({ failFirst: { count: 1, status: 401 } }, { CLAUDE_WORKER_RETRY_BACKOFF_MS: '200' });
  const server = await startServer(setup);
  const { task } = await server.client.submit({ execution_prompt: 'Task', working_directory: setup.project });

  expect(await taskEnded(server, task.id)).toMatchObject({ status: 'failed', error_code: 'auth_failed', attempts: 1 });
  expect(setup.api.requests.filter((r) => r.path.startsWith('/v1/messages'))).toHaveLength(1);
  expect(await server.stop()).toBe(0);
});

it('pauses claiming once the daily budget is spent, until resumed by hand', async () => {
  // Each stand-in task costs a little under a tenth of a cent.
  const setup = await setUp({}, { CLAUDE_WORKER_DAILY_BUDGET_USD: '0.0001' });
  const server = await startServer(setup);
  const [firstId, secondId] = (await submitFour(server, setup.project)).slice(0, 2);

  expect(await taskEnded(server, firstId!)).toMatchObject({ status: 'completed' });
  const health = await waitFor(async () => {
    const current = await server.client.health();
    return current.paused_until === null ? null : current;
  });
  expect(health.pause_reason).toMatch(/^daily budget of \$0\.00 reached \(\$0\.\d\d spent today, UTC\)$/);
  const midnight = new Date();
  midnight.setUTCHours(24, 0, 0, 0);
  // The runner asks for "until midnight" as a delay from its clock, which the store adds to its own: equal to the millisecond or so.
  expect(Math.abs(Date.parse(health.paused_until!) - midnight.getTime())).toBeLessThan(1_000);
  expect(await server.client.get(secondId!)).toMatchObject({ status: 'pending', attempts: 0 });

  await cli(server, setup, ['resume']);
  expect(await taskEnded(server, secondId!)).toMatchObject({ status: 'completed' });
  expect(await server.stop()).toBe(0);
});
