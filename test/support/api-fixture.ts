/**
 * The REST app over the real local service and a SQLite file in a temp dir,
 * without a runner: tests move tasks through their states with the store's
 * own transitions and write their logs through TaskLogs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { bootId, hostName } from '../../src/host/identity.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore, type SqliteTaskStore } from '../../src/store/sqlite/sqlite-database.js';
import type { ClaimedTask, WorkerIdentity } from '../../src/store/task-store.js';

export interface ApiFixture {
  dir: string;
  store: SqliteTaskStore;
  logs: TaskLogs;
  /** The local service over the store (what the app serves unless `serve` wrapped it). */
  service: TaskService;
  app: FastifyInstance;
  /** Listens on a free loopback port; returns the base URL. */
  listen(): Promise<string>;
  /** Claims the oldest pending task as a runner would. */
  claim(): Promise<ClaimedTask>;
  close(): Promise<void>;
}

const TEST_WORKER: WorkerIdentity = {
  id: 'api-test-worker',
  host: hostName(),
  bootId: bootId(),
  pid: process.pid,
  procStartTime: null,
};

export interface ApiFixtureOptions extends Partial<AppOptions> {
  /** What the app serves instead of the local service itself (a wrapper around it, say). */
  serve?: (local: TaskService) => TaskService;
}

export async function createApiFixture(options: ApiFixtureOptions = {}): Promise<ApiFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-api-'));
  const store = await openSqliteStore(join(dir, 'tasks.db'));
  const logs = new TaskLogs(join(dir, 'logs'), store);
  const service = createLocalTaskService({
    store,
    logs,
    config: { concurrency: 2, permissionMode: 'acceptEdits', defaultTimeoutSeconds: 600, maxAttempts: 2 },
  });
  const { serve = (local) => local, ...appOptions } = options;
  const app = buildApp(serve(service), {
    token: null,
    allowedHosts: [],
    version: '0.0.0-test',
    mcp: { policy: 'strict', cwd: process.cwd() },
    ...appOptions,
  });
  return {
    dir,
    store,
    logs,
    service,
    app,
    async listen() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async claim() {
      const claimed = await store.claim(TEST_WORKER, 60_000);
      if (!claimed) throw new Error('no pending task to claim');
      return claimed;
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
