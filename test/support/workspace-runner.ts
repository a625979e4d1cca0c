/**
 * A runner with the fake Claude Code executable over a fresh SQLite store,
 * for tests of tasks that run in git worktrees: each test gets its own
 * temporary directory (store, logs, HOME and worktrees inside it).
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { Runner } from '../../src/runner/runner.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { waitFor } from './wait.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;

export interface WorkspaceRunner {
  /** The test's temporary directory. */
  dir: string;
  service: TaskService;
  /** Starts the runner; the fake writes `shared.txt` unless `env` says otherwise. */
  startRunner(env?: Record<string, string>): Promise<void>;
  /** Resolves once task `id` has `status`. */
  ended(id: number, status: string): Promise<unknown>;
}

/** Registers the hooks of the test file; the returned object holds the running test's harness. */
export function useWorkspaceRunner(): WorkspaceRunner {
  let store: TaskStore;
  let runner: Runner | null = null;
  const harness: WorkspaceRunner = {
    dir: '',
    service: undefined as unknown as TaskService,
    startRunner: async (env = {}) => {
      runner = new Runner({
        store,
        logs: new TaskLogs(join(harness.dir, 'logs'), store),
        agent: new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }),
        config: {
          concurrency: 4,
          leaseMs: 60_000,
          heartbeatMs: 50,
          reapIntervalMs: 60_000,
          labels: {},
          workerName: 'test-node',
          worktreesDir: join(harness.dir, 'worktrees'),
        },
        env: { ...process.env, HOME: harness.dir, FAKE_CLAUDE_WRITE_FILE: 'shared.txt', ...env },
        warn: () => {},
      });
      await runner.start();
    },
    ended: (id, status) =>
      waitFor(async () => (await harness.service.get(id)).status === status, { what: `task ${id} ${status}` }),
  };

  beforeEach(async () => {
    harness.dir = await realpath(await mkdtemp(join(tmpdir(), 'cw-ws-runner-')));
    store = await openSqliteStore(join(harness.dir, 'tasks.db'));
    const config = { concurrency: 4, permissionMode: 'acceptEdits' as const, defaultTimeoutSeconds: 60, maxAttempts: 1 };
    harness.service = createLocalTaskService({ store, logs: new TaskLogs(join(harness.dir, 'logs'), store), config });
  });

  afterEach(async () => {
    await runner?.shutdown();
    runner = null;
    await store.close();
    await rm(harness.dir, { recursive: true, force: true });
  });

  return harness;
}
