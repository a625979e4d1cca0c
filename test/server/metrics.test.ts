/**
 * GET /metrics on a real server process: a scrape parses, and its numbers
 * are the ones the API reports for the same tasks and workers, the queue's
 * pause and the webhook deliveries it still owes.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TASK_STATUSES, type Task } from '../../src/core/task.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { parsePrometheusText, type Scrape } from '../support/prometheus-text.js';
import { FAKE_CLAUDE, startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const TOKEN = 'metrics-test-token';

let home: string;
let project: string;
let server: ServerProcess;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver('metrics-test-secret');
  // Refused: every delivery stays owed.
  receiver.answer(500);
  home = await mkdtemp(join(tmpdir(), 'cw-metrics-'));
  project = join(home, 'project');
  await mkdir(project);
  server = await startServerProcess(
    {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_WORKER_HOME: home,
      CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
      CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
      CLAUDE_WORKER_ISOLATION: 'none',
      CLAUDE_WORKER_TOKEN: TOKEN,
      CLAUDE_WORKER_WEBHOOK_URL: receiver.url,
      CLAUDE_WORKER_WEBHOOK_SECRET: 'metrics-test-secret',
      CLAUDE_WORKER_WEBHOOK_RETRY_MS: '100',
    },
    { workers: 3 },
  );
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await rm(home, { recursive: true, force: true });
});

async function scrape(token: string | null = TOKEN): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function submit(prompt: string, extra: Record<string, unknown> = {}): Promise<Task> {
  const { task } = await server.client.submit({ execution_prompt: prompt, working_directory: project, ...extra });
  return task;
}

it('is behind the token', async () => {
  expect((await scrape(null)).status).toBe(401);
  expect((await scrape('wrong')).status).toBe(401);
  const ok = await scrape();
  expect(ok.status).toBe(200);
  expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
});

it('reports the counts, failures, cost, tokens, timings and workers that the API shows', async () => {
  const ran = await Promise.all([
    submit('Say hello [fake:success]'),
    submit('Say hello again [fake:success]', { model: 'sonnet' }),
    submit('Fail please [fake:error]'),
    submit('Fail differently [fake:crash]'),
  ]);
  const ended = await Promise.all(ran.map((task) => taskEnded(server, task.id)));
  // No worker offers this label, so it stays pending: the queue's oldest task.
  const pending = await submit('Needs a GPU', { required_labels: { gpu: 'true' } });

  const { text } = await scrape();
  const after = Date.now();
  const metrics: Scrape = parsePrometheusText(text);

  const tasks = (await server.client.list({ limit: 100 })).tasks;
  for (const status of TASK_STATUSES) {
    expect(metrics.value('claude_worker_tasks', { status }), status).toBe(tasks.filter((t) => t.status === status).length);
  }
  const health = await server.client.health();
  expect(metrics.value('claude_worker_tasks', { status: 'pending' })).toBe(health.pending);
  expect(metrics.types.get('claude_worker_tasks')).toBe('gauge');

  const failed = ended.filter((t) => t.status === 'failed');
  expect(failed.length).toBe(2);
  for (const code of new Set(failed.map((t) => t.error_code!))) {
    expect(metrics.value('claude_worker_task_failures_total', { error_code: code })).toBe(
      failed.filter((t) => t.error_code === code).length,
    );
  }
  expect(metrics.types.get('claude_worker_task_failures_total')).toBe('counter');

  for (const [label, model] of [
    ['default', null],
    ['sonnet', 'sonnet'],
  ] as const) {
    const mine = ended.filter((t) => t.model === model);
    const cost = mine.reduce((sum, t) => sum + (t.cost_usd ?? 0), 0);
    expect(metrics.value('claude_worker_cost_usd_total', { model: label })).toBeCloseTo(cost, 9);
    const input = mine.reduce((sum, t) => sum + (t.usage?.input_tokens ?? 0), 0);
    const output = mine.reduce((sum, t) => sum + (t.usage?.output_tokens ?? 0), 0);
    expect(input).toBeGreaterThan(0);
    expect(metrics.value('claude_worker_tokens_total', { model: label, type: 'input' })).toBe(input);
    expect(metrics.value('claude_worker_tokens_total', { model: label, type: 'output' })).toBe(output);
  }

  const completed = ended.filter((t) => t.status === 'completed').length;
  expect(metrics.value('claude_worker_task_duration_seconds_count', { status: 'completed' })).toBe(completed);
  expect(metrics.value('claude_worker_task_duration_seconds_count', { status: 'failed' })).toBe(failed.length);
  expect(metrics.value('claude_worker_task_queue_wait_seconds_count')).toBe(ended.length);
  expect(metrics.types.get('claude_worker_task_duration_seconds')).toBe('histogram');
  const apiDuration = ended
    .filter((t) => t.status === 'completed')
    .reduce((sum, t) => sum + (Date.parse(t.ended_at!) - Date.parse(t.started_at!)) / 1000, 0);
  expect(metrics.value('claude_worker_task_duration_seconds_sum', { status: 'completed' })).toBeCloseTo(apiDuration, 3);

  // Measured between the submission and the end of the scrape.
  const age = metrics.value('claude_worker_oldest_pending_task_age_seconds');
  expect(age).toBeGreaterThanOrEqual(0);
  expect(age).toBeLessThanOrEqual((after - Date.parse(pending.created_at)) / 1000 + 0.001);

  const { workers } = await server.client.workers();
  const live = workers.filter((w) => w.state === 'active');
  expect(live.length).toBe(1);
  expect(metrics.value('claude_worker_worker_capacity', { id: live[0]!.id })).toBe(live[0]!.capacity);
  expect(metrics.value('claude_worker_worker_capacity', { id: live[0]!.id })).toBe(3);
  expect(metrics.value('claude_worker_worker_running_tasks', { id: live[0]!.id })).toBe(live[0]!.running);
});

it('reports the queue pause, until when it lasts, and the webhook deliveries still owed', async () => {
  const scrapeMetrics = async () => parsePrometheusText((await scrape()).text);
  const ended = (await server.client.list({ limit: 100 })).tasks.filter((t) => t.status !== 'pending');
  expect(ended.length).toBeGreaterThan(0);
  // Each ended task's event was sent (and refused) at least once: every delivery is made, and owed.
  await waitFor(() => ended.every((t) => receiver.received.some((d) => d.event.task?.id === t.id)), {
    what: 'a delivery for every ended task',
  });
  const before = await scrapeMetrics();
  expect(before.value('claude_worker_webhook_backlog')).toBe(ended.length);
  expect(before.types.get('claude_worker_webhook_backlog')).toBe('gauge');
  for (const kind of ['usage_limit', 'daily_budget']) expect(before.value('claude_worker_queue_paused', { kind })).toBe(0);
  expect(before.value('claude_worker_queue_paused_until_seconds')).toBe(0);

  // Paused as a runner on another node pauses it: in the database.
  const store = await openSqliteStore(join(home, 'tasks.db'));
  try {
    const pause = await store.pauseQueue({ kind: 'daily_budget', reason: 'daily budget reached', delayMs: 3600_000 });
    const paused = await scrapeMetrics();
    expect(paused.value('claude_worker_queue_paused', { kind: 'daily_budget' })).toBe(1);
    expect(paused.value('claude_worker_queue_paused', { kind: 'usage_limit' })).toBe(0);
    expect(paused.value('claude_worker_queue_paused_until_seconds')).toBe(pause.paused_until / 1000);
  } finally {
    await store.close();
  }
  expect((await server.client.resumeQueue()).resumed).toBe(true);
  const resumed = await scrapeMetrics();
  expect(resumed.value('claude_worker_queue_paused', { kind: 'daily_budget' })).toBe(0);
  expect(resumed.value('claude_worker_queue_paused_until_seconds')).toBe(0);

  // The pause and its end are owed too, once made (sent and refused).
  await receiver.waitFor((d) => d.event.type === 'queue.resumed', 'queue.resumed');
  expect((await scrapeMetrics()).value('claude_worker_webhook_backlog')).toBe(ended.length + 2);
});
