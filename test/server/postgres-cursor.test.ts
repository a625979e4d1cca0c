/**
 * The list cursors on PostgreSQL, whose ids are bigints: a cursor past any
 * id is refused as bad input (400), not passed on to fail in SQL (500).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { buildApp } from '../../src/server/app.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';

let cluster: PostgresCluster;
let store: TaskStore;
let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  store = await openStore(cluster.url);
  dir = await mkdtemp(join(tmpdir(), 'cw-pg-cursor-'));
  const service = createLocalTaskService({
    store,
    logs: new TaskLogs(join(dir, 'logs'), store),
    config: { concurrency: 1, permissionMode: 'acceptEdits', defaultTimeoutSeconds: 600, maxAttempts: 1 },
  });
  app = buildApp(service, { token: null, allowedHosts: [], version: '0.0.0-test', mcp: { policy: 'strict', cwd: dir } });
  await service.submit({ execution_prompt: 'x', working_directory: dir });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

it.each(['9223372036854775808', '99999999999999999999999999'])('answers 400 to the cursor %s on both lists', async (cursor) => {
  for (const list of ['tasks', 'orchestrations']) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/${list}?cursor=${cursor}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed', issues: [{ field: 'cursor' }] } });
  }
});

it('still pages with the largest cursor it accepts', async () => {
  const response = await app.inject({ method: 'GET', url: `/api/v1/tasks?cursor=${Number.MAX_SAFE_INTEGER}` });
  expect(response.statusCode).toBe(200);
  expect(response.json<{ tasks: unknown[] }>().tasks).toHaveLength(1);
});
