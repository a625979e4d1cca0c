/**
 * Two `claude-worker worker` processes on one PostgreSQL database, both
 * configured with the same webhook receiver: every task's `task.completed`
 * reaches the receiver once, signed, whichever node ran the task and
 * whichever sent it (each delivery is leased to one node at a time).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { nodeEnv, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const TASKS = 24;
const SECRET = 'the secret both nodes sign with';

let cluster: PostgresCluster;
let home: string;
let store: TaskStore;
let receiver: WebhookReceiver;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-hooks-nodes-'));
  store = await openStore(cluster.url, { warn: () => undefined });
  receiver = await startWebhookReceiver(SECRET);
});

afterAll(async () => {
  await receiver?.close();
  await store?.close();
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

it('two nodes on one database send each task.completed once between them', { timeout: 120_000 }, async () => {
  const env = nodeEnv(home, { CLAUDE_WORKER_WEBHOOK_URL: receiver.url, CLAUDE_WORKER_WEBHOOK_SECRET: SECRET });
  const workers: WorkerProcess[] = [];
  const ids: number[] = [];
  try {
    for (const name of ['node-a', 'node-b']) workers.push(await startWorkerProcess({ db: cluster.url, name, env }));
    for (let i = 0; i < TASKS; i++) {
      ids.push(
        (await store.enqueue(taskSpec({ execution_prompt: `[fake:success] task ${i}`, working_directory: home }))).task.id,
      );
    }
    await waitFor(
      () => ids.every((id) => receiver.received.some((got) => got.event.type === 'task.completed' && got.event.task?.id === id)),
      { what: `task.completed of all ${TASKS} tasks`, timeoutMs: 100_000, intervalMs: 100 },
    );
  } finally {
    const codes = await Promise.all(workers.map((worker) => worker.stop()));
    expect(codes, workers.map((worker) => worker.output()).join('\n')).toEqual([0, 0]);
  }

  const completed = receiver.received.filter((got) => got.event.type === 'task.completed');
  expect(completed.map((got) => got.event.task!.id).sort((a, b) => a - b)).toEqual(ids);
  expect(new Set(completed.map((got) => got.delivery)).size).toBe(TASKS);
  expect(completed.every((got) => got.verified && got.event.task!.status === 'completed')).toBe(true);
});
