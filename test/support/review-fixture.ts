/**
 * Tasks run for real on a throwaway git repository, for the tests of the
 * review operations (diff, merge, discard, open): a SQLite store, the local
 * service and a runner over the fake Claude, which writes `shared.txt` in
 * its working directory with the start of its prompt.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import type { TaskStatus } from '../../src/core/task.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { Runner } from '../../src/runner/runner.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { makeRepository } from './git-repo.js';
import { waitFor } from './wait.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;

export interface ReviewFixture {
  dir: string;
  /** A repository on branch main with README.md committed. */
  repo: string;
  store: TaskStore;
  service: TaskService;
  /** A file whose existence lets agents report their result (there at first); without it they wait, their edit made. */
  gate: string;
  /** Submits a task in the repository and returns its id. */
  submit(prompt: string, options?: { isolation?: 'worktree' | 'none' }): Promise<number>;
  ended(taskId: number, status?: TaskStatus): Promise<void>;
  /** Two tasks submitted at once, each writing shared.txt with different content; both completed. */
  twoTasksWritingOneFile(): Promise<[number, number]>;
  close(): Promise<void>;
}

export async function createReviewFixture(): Promise<ReviewFixture> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'cw-review-')));
  const repo = await makeRepository(join(dir, 'repo'), { 'README.md': 'hello\n' });
  const store = await openSqliteStore(join(dir, 'tasks.db'));
  const logs = new TaskLogs(join(dir, 'logs'), store);
  const config = { concurrency: 4, permissionMode: 'acceptEdits' as const, defaultTimeoutSeconds: 60, maxAttempts: 1 };
  const service = createLocalTaskService({ store, logs, config });
  const gate = join(dir, 'gate');
  await writeFile(gate, '');
  const runner = new Runner({
    store,
    logs,
    agent: new ClaudeCodeAgent({ executablePath: FAKE_CLAUDE }),
    config: {
      concurrency: 4,
      leaseMs: 60_000,
      heartbeatMs: 50,
      reapIntervalMs: 60_000,
      labels: {},
      workerName: 'test-node',
      worktreesDir: join(dir, 'worktrees'),
    },
    env: { ...process.env, HOME: dir, FAKE_CLAUDE_WRITE_FILE: 'shared.txt', FAKE_CLAUDE_RESULT_GATE: gate },
    warn: () => {},
  });
  await runner.start();
  const fixture: ReviewFixture = {
    dir,
    repo,
    store,
    service,
    gate,
    async submit(prompt, options = {}) {
      const { task } = await service.submit({ execution_prompt: prompt, working_directory: repo, ...options });
      return task.id;
    },
    async ended(taskId, status = 'completed') {
      await waitFor(async () => (await service.get(taskId)).status === status, { what: `task ${taskId} ${status}` });
    },
    async twoTasksWritingOneFile() {
      const first = await fixture.submit('[fake:success] First version of the shared file');
      const second = await fixture.submit('[fake:success] Second version of the shared file');
      await fixture.ended(first);
      await fixture.ended(second);
      return [first, second];
    },
    async close() {
      await runner.shutdown();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}
