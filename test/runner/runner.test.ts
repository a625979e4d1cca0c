import { isProcessRunning } from '../../src/host/identity.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent, AgentRunRequest } from '../../src/agents/agent.js';
import { emptyRunStats } from '../../src/core/task.js';
import type { Labels } from '../../src/core/labels.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { bootId, hostName, processStartTime } from '../../src/host/identity.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { Runner } from '../../src/runner/runner.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { waitFor } from '../support/wait.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;
const FAKE_CLAUDE_LEAVES_CHILD = new URL('../fixtures/fake-claude-leaves-child.sh', import.meta.url).pathname;

interface Harness {
  dir: string;
  store: TaskStore;
  logs: TaskLogs;
  service: TaskService;
  clock: { now: number };
  startRunner(options?: {
    concurrency?: number;
    agent?: Agent;
    heartbeatMs?: number;
    labels?: Labels;
    store?: TaskStore;
  }): Promise<Runner>;
  submit(prompt: string, extra?: { timeout_seconds?: number }): Promise<number>;
}

const runners: Runner[] = [];
let h: Harness;

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-runner-'));
  const clock = { now: Date.now() };
  const store = await openSqliteStore(join(dir, 'tasks.db'), { clock: () => clock.now });
  const logs = new TaskLogs(join(dir, 'logs'), store);
  const config = { concurrency: 4, permissionMode: 'acceptEdits' as const, defaultTimeoutSeconds: 60, maxAttempts: 3 };
  const service = createLocalTaskService({ store, logs, config });
  const env = { ...process.env, HOME: dir, FAKE_CLAUDE_DELAY_MS: '100', FAKE_CLAUDE_PID_FILE: join(dir, 'grandchild.pid') };
  h = {
    dir,
    store,
    logs,
    service,
    clock,
    async startRunner(options = {}) {
      const runner = new Runner({
        store: options.store ?? store,
        logs,
        agent: options.agent ?? new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }),
        config: {
          concurrency: options.concurrency ?? 4,
          leaseMs: 60_000,
          heartbeatMs: options.heartbeatMs ?? 50,
          reapIntervalMs: 60_000,
          labels: options.labels ?? {},
          workerName: 'test-node',
          worktreesDir: join(dir, 'worktrees'),
        },
        env,
        warn: () => {},
      });
      runners.push(runner);
      await runner.start();
      return runner;
    },
    async submit(prompt, extra = {}) {
      const cwd = join(dir, `work-${Math.random().toString(36).slice(2)}`);
      await mkdir(cwd);
      const { task } = await service.submit({ execution_prompt: prompt, working_directory: cwd, ...extra });
      return task.id;
    },
  };
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.shutdown()));
  await h.store.close();
  await rm(h.dir, { recursive: true, force: true });
});

const statusOf = async (id: number) => (await h.service.get(id)).status;
const untilStatus = (id: number, status: string) =>
  waitFor(async () => (await statusOf(id)) === status, { what: `task ${id} ${status}` });

/** Counts how many agent runs overlap, around the real agent. */
function countingAgent(inner: Agent): Agent & { max: number } {
  let current = 0;
  const counter = {
    max: 0,
    async run(...args: Parameters<Agent['run']>) {
      current += 1;
      counter.max = Math.max(counter.max, current);
      try {
        return await inner.run(...args);
      } finally {
        current -= 1;
      }
    },
  };
  return counter;
}

/** Holds every agent run until `open()`: the test decides when the running tasks may finish. */
function gatedAgent(inner: Agent): Agent & { open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    async run(...args: Parameters<Agent['run']>) {
      await gate;
      return inner.run(...args);
    },
  };
}

describe('Runner', () => {
  it('never runs more than concurrency tasks at once, and runs them all', async () => {
    const agent = countingAgent(new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await h.submit(`[fake:slow] task ${i}`));
    await h.startRunner({ concurrency: 2, agent });
    for (const id of ids) await untilStatus(id, 'completed');
    expect(agent.max).toBe(2);
    for (const id of ids) expect((await h.service.get(id)).attempts).toBe(1);
  });

  it('records each task of several that end at the same moment with its own result and its whole log', async () => {
    // All four are held until all four run, then end together: their completions are written as one group.
    let started = 0;
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    const agent: Agent = {
      async run(request, observer) {
        observer.onActivity({ line: `[work] ${request.prompt}` });
        if (++started === 4) release();
        await together;
        return { outcome: 'completed', summary: `done: ${request.prompt}`, stats: { ...emptyRunStats(), cost_usd: 0.01 } };
      },
    };
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await h.submit(`task ${i}`));
    await h.startRunner({ concurrency: 4, agent });
    for (const id of ids) await untilStatus(id, 'completed');
    for (const [i, id] of ids.entries()) {
      expect(await h.service.get(id)).toMatchObject({ final_summary: `done: task ${i}`, attempts: 1, cost_usd: 0.01 });
      const log = await h.logs.readSummary(id);
      expect(log).toContain(`[work] task ${i}`);
      expect(log).toMatch(/=== completed/);
    }
  });

  it('writes a readable summary log and the full JSONL event stream for each task', async () => {
    const id = await h.submit('[fake:success] write the file');
    await h.startRunner();
    await untilStatus(id, 'completed');
    const task = await h.service.get(id);
    expect(task.last_action_cache).toBe('[Write] fake-output.txt');
    const summary = await h.logs.readSummary(id);
    expect(summary).toMatch(/=== attempt 1 of 3 started/);
    expect(summary).toMatch(/\[Write\] fake-output\.txt/);
    expect(summary).toMatch(/=== completed/);
    const events = (await readFile(h.logs.eventsPath(id), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toContain('assistant');
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: false });
  });

  it('records an error result as failed, never as completed', async () => {
    const id = await h.submit('[fake:error] do something');
    await h.startRunner();
    await waitFor(async () => (await statusOf(id)) !== 'pending' && (await statusOf(id)) !== 'running');
    const task = await h.service.get(id);
    expect(task.status).toBe('failed');
    expect(task.error_code).toBe('agent_error');
    expect(task.ended_at).not.toBeNull();
  });

  it('stops a task that runs past its timeout, with its whole process tree', async () => {
    const id = await h.submit('[fake:hang] never finishes', { timeout_seconds: 1 });
    await h.startRunner();
    const grandchild = Number(await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => '')));
    await untilStatus(id, 'failed');
    const task = await h.service.get(id);
    expect(task.error_code).toBe('timeout');
    expect(task.error_message).toMatch(/Timed out after 1 s/);
    expect(isGroupAlive(grandchild) || isProcessRunning(grandchild)).toBe(false);
  });

  it('ends a task at its result and frees its slot when a process its agent left behind holds the output open', async () => {
    // With one slot, the second task runs only once the first has ended; the timeout is far beyond the test's.
    const first = await h.submit('[fake:success] first', { timeout_seconds: 3600 });
    const second = await h.submit('[fake:success] second', { timeout_seconds: 3600 });
    await h.startRunner({ concurrency: 1, agent: new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE_LEAVES_CHILD }) });
    await untilStatus(second, 'completed');
    expect(await h.service.get(first)).toMatchObject({ status: 'completed', error_code: null, attempts: 1 });
    const leftBehind = Number(await readFile(join(h.dir, 'grandchild.pid'), 'utf8'));
    expect(isProcessRunning(leftBehind)).toBe(false);
  });

  it('completes a task whose log files cannot be written (a full disk), its stored log saying where they stop', async () => {
    const id = await h.submit('[fake:success] write the file');
    // /dev/full fails every write with ENOSPC, as a file on a full disk does.
    await mkdir(h.logs.dir, { recursive: true });
    await symlink('/dev/full', h.logs.summaryPath(id));
    await symlink('/dev/full', h.logs.eventsPath(id));
    await h.startRunner();
    await untilStatus(id, 'completed');
    const log = await h.logs.readSummary(id);
    expect(log).toContain(`[log] ${h.logs.summaryPath(id)} could not be written (ENOSPC: no space left on device, write)`);
    expect(log).toMatch(/=== completed/);
  });

  it('cancels a running task: the agent and its children stop and the task ends cancelled', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    await h.startRunner();
    const grandchild = Number(await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => '')));
    await h.service.cancel(id);
    await untilStatus(id, 'cancelled');
    expect(await h.service.get(id)).toMatchObject({
      error_code: 'cancelled',
      error_message: expect.stringMatching(/^Cancelled while it ran/),
    });
    expect(isProcessRunning(grandchild)).toBe(false);
    expect(await h.logs.readSummary(id)).toMatch(/cancelled/);
  });

  it('releases running tasks on shutdown without counting the attempt', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    const runner = await h.startRunner();
    await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => ''));
    await runner.shutdown();
    const task = await h.service.get(id);
    expect(task.status).toBe('pending');
    expect(task.attempts).toBe(0);
  });

  it('hands a released task to the next attempt with the session to continue; a fresh task has none', async () => {
    const requests: AgentRunRequest[] = [];
    const agent: Agent = {
      async run(request, observer) {
        requests.push(request);
        if (requests.length > 1) return { outcome: 'completed', summary: 'continued', stats: emptyRunStats() };
        observer.onActivity({ line: '[init]', sessionId: 'session-of-attempt-1' });
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return { outcome: 'aborted', stats: {} };
      },
    };
    const id = await h.submit('stopped half way');
    const first = await h.startRunner({ agent });
    await waitFor(async () => (await h.service.get(id)).session_id === 'session-of-attempt-1');
    await first.shutdown();
    await h.startRunner({ agent });
    await waitFor(async () => (await h.service.get(id)).status === 'completed');
    expect(requests.map((request) => request.resumeSessionId)).toEqual([null, 'session-of-attempt-1']);
  });

  it('lets running tasks finish within the drain timeout, claims nothing new, and releases nothing', async () => {
    const first = await h.submit('[fake:success] finish while draining');
    const second = await h.submit('[fake:success] must wait for the next worker');
    const agent = gatedAgent(new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }));
    const runner = await h.startRunner({ concurrency: 1, agent });
    await untilStatus(first, 'running');
    const stopped = runner.shutdown({ graceMs: 30_000 });
    agent.open();
    await stopped;
    expect(await h.service.get(first)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await h.service.get(second)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('releases what still runs when the drain timeout ends, without counting the attempt', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    const runner = await h.startRunner();
    const grandchild = Number(await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => '')));
    await runner.shutdown({ graceMs: 200 });
    expect(await h.service.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(isProcessRunning(grandchild)).toBe(false);
  });

  it('registers itself, renews its registration with each beat, and is listed draining, then stopped', async () => {
    const id = await h.submit('[fake:hang] keeps the runner draining');
    const runner = await h.startRunner({ concurrency: 2, labels: { gpu: 'true' } });
    expect(await h.store.listWorkers()).toEqual([
      expect.objectContaining({
        id: runner.worker.id,
        name: 'test-node',
        pid: process.pid,
        labels: { gpu: 'true' },
        capacity: 2,
        state: 'active',
      }),
    ]);
    await untilStatus(id, 'running');
    h.clock.now += 5000;
    await waitFor(async () => (await h.store.listWorkers())[0]?.last_heartbeat_at === h.clock.now, {
      what: 'a renewed registration',
    });
    expect((await h.store.listWorkers())[0]).toMatchObject({ running: 1, state: 'active' });

    const stopped = runner.shutdown({ graceMs: 60_000 });
    await waitFor(async () => (await h.store.listWorkers())[0]?.state === 'draining', { what: 'the worker to drain' });
    await h.service.cancel(id);
    await stopped;
    expect((await h.store.listWorkers())[0]).toMatchObject({ state: 'stopped', running: 0 });
    expect((await h.service.get(id)).status).toBe('cancelled');
  });

  it('writes the outcome again while the store fails, and the task completes with one attempt', async () => {
    const id = await h.submit('[fake:success] finish during an outage');
    let failures = 0;
    // The database is down when the run ends: the first two writes of the outcome fail.
    const flaky = new Proxy(h.store, {
      get(target, name, receiver) {
        if (name === 'complete' && failures < 2) {
          return async () => {
            failures += 1;
            throw new Error('connection terminated');
          };
        }
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await h.startRunner({ store: flaky });
    await untilStatus(id, 'completed');
    expect(failures).toBe(2);
    expect((await h.service.get(id)).attempts).toBe(1);
  });

  it('claims only the tasks whose required labels it has', async () => {
    const gpu = (
      await h.service.submit({
        execution_prompt: '[fake:success] on a gpu',
        working_directory: h.dir,
        required_labels: { gpu: 'true' },
      })
    ).task.id;
    const anywhere = await h.submit('[fake:success] anywhere');
    await h.startRunner();
    await untilStatus(anywhere, 'completed');
    expect(await h.service.get(gpu)).toMatchObject({ status: 'pending', attempts: 0 });

    await h.startRunner({ labels: { gpu: 'true', region: 'eu' } });
    await untilStatus(gpu, 'completed');
  });

  it('stops its agent and records nothing once another runner took the task over', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    await h.startRunner();
    await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => ''));
    // The lease runs out (time travel) and the reaper hands the task to the queue again.
    h.clock.now += 61_000;
    expect(await h.store.reapExpired(0)).toEqual([id]);
    await waitFor(() => readFile(h.logs.summaryPath(id), 'utf8').then((log) => /lost its lease/.test(log)));
    const task = await h.service.get(id);
    expect(['pending', 'running']).toContain(task.status);
    expect(task.attempts).toBeGreaterThanOrEqual(1);
  });

  it('on start, kills what a dead runner on this host left behind and runs its task again', async () => {
    const id = await h.submit('[fake:success] finish the job');
    // A runner that has since died claimed the task and started an agent (here: a sleeping process group).
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    const claimed = await h.store.claim(
      { id: 'dead-runner', host: hostName(), bootId: bootId(), pid: dead.pid!, procStartTime: 'gone' },
      60_000,
    );
    expect(claimed?.lease.taskId).toBe(id);
    const orphan = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    await h.store.recordSpawn(claimed!.lease, {
      pid: orphan.pid!,
      pgid: orphan.pid!,
      procStartTime: processStartTime(orphan.pid!),
    });

    await h.startRunner();
    await untilStatus(id, 'completed');
    expect(isGroupAlive(orphan.pid!)).toBe(false);
    expect((await h.service.get(id)).attempts).toBe(2);
  });
});
