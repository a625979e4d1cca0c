import { isProcessRunning } from '../../src/host/identity.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { bootId, hostName, processStartTime } from '../../src/host/identity.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { Runner } from '../../src/runner/runner.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-task-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { waitFor } from '../support/wait.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;

interface Harness {
  dir: string;
  store: TaskStore;
  logs: TaskLogs;
  service: TaskService;
  clock: { now: number };
  startRunner(options?: { maxWorkers?: number; agent?: Agent; heartbeatMs?: number }): Promise<Runner>;
  submit(prompt: string, extra?: { timeout_seconds?: number }): Promise<number>;
}

const runners: Runner[] = [];
let h: Harness;

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-runner-'));
  const clock = { now: Date.now() };
  const store = await openSqliteStore(join(dir, 'tasks.db'), { clock: () => clock.now });
  const logs = new TaskLogs(join(dir, 'logs'), store);
  const config = { maxWorkers: 4, permissionMode: 'acceptEdits' as const, defaultTimeoutSeconds: 60, maxAttempts: 3 };
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
        store,
        logs,
        agent: options.agent ?? new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }),
        config: {
          maxWorkers: options.maxWorkers ?? 4,
          leaseMs: 60_000,
          heartbeatMs: options.heartbeatMs ?? 50,
          reapIntervalMs: 60_000,
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

describe('Runner', () => {
  it('never runs more than maxWorkers tasks at once, and runs them all', async () => {
    const agent = countingAgent(new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await h.submit(`[fake:slow] task ${i}`));
    await h.startRunner({ maxWorkers: 2, agent });
    for (const id of ids) await untilStatus(id, 'completed');
    expect(agent.max).toBe(2);
    for (const id of ids) expect((await h.service.get(id)).attempts).toBe(1);
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
    const events = (await readFile(h.logs.eventsPath(id), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
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

  it('cancels a running task: the agent and its children stop and the task ends cancelled', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    await h.startRunner();
    const grandchild = Number(await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => '')));
    await h.service.cancel(id);
    await untilStatus(id, 'cancelled');
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

  it('stops its agent and records nothing once another runner took the task over', async () => {
    const id = await h.submit('[fake:hang] never finishes');
    await h.startRunner();
    await waitFor(() => readFile(join(h.dir, 'grandchild.pid'), 'utf8').catch(() => ''));
    // The lease runs out (time travel) and the reaper hands the task to the queue again.
    h.clock.now += 61_000;
    expect(await h.store.reapExpired(0)).toEqual([id]);
    await waitFor(() => readFile(h.logs.summaryPath(id), "utf8").then((log) => /lost its lease/.test(log)));
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
    await h.store.recordSpawn(claimed!.lease, { pid: orphan.pid!, pgid: orphan.pid!, procStartTime: processStartTime(orphan.pid!) });

    await h.startRunner();
    await untilStatus(id, 'completed');
    expect(isGroupAlive(orphan.pid!)).toBe(false);
    expect((await h.service.get(id)).attempts).toBe(2);
  });
});

