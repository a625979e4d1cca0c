/**
 * Webhooks from a real server process: every delivery is signed, each
 * ending event reaches the receiver, a failing receiver is tried again, and
 * a delivery owed when the server is killed with SIGKILL is made after the
 * restart. The agent's behaviour does not matter here: the fake Claude Code
 * ends each task as its prompt says.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'a shared secret for the test receiver';

let home: string;
let project: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-webhooks-'));
  project = join(home, 'project');
  await mkdir(project);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(home, { recursive: true, force: true });
});

async function receiver(port?: number): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(SECRET, port);
  cleanups.push(() => started.close());
  return started;
}

async function server(webhookUrl: string, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const started = await startServerProcess(
    {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_WORKER_HOME: home,
      CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
      CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
      CLAUDE_WORKER_ISOLATION: 'none',
      CLAUDE_WORKER_WEBHOOK_URL: webhookUrl,
      CLAUDE_WORKER_WEBHOOK_SECRET: SECRET,
      CLAUDE_WORKER_WEBHOOK_RETRY_MS: '200',
      ...extra,
    },
    { workers: 1 },
  );
  cleanups.push(async () => {
    if (started.child.exitCode === null && started.child.signalCode === null) await started.stop();
  });
  return started;
}

/** Deliveries whose last attempt failed and that are waiting for their next one, read behind the server's back. */
function settledFailures(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT count(*) AS n FROM webhook_deliveries
          WHERE delivered_at IS NULL AND lease_token IS NULL AND last_error IS NOT NULL`,
      )
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

const about = (type: string, taskId: number) => (delivery: ReceivedDelivery) =>
  delivery.event.type === type && delivery.event.task?.id === taskId;

describe('webhooks', () => {
  it('send each ending event, signed, with the task or orchestration as the API returns it', async () => {
    const hooks = await receiver();
    const node = await server(hooks.url);
    const submit = async (prompt: string) =>
      (await node.client.submit({ execution_prompt: prompt, working_directory: project })).task.id;

    const completed = await submit('Write the file [fake:success]');
    const failed = await submit('Break [fake:error]');
    const hanging = await submit('Hang [fake:hang]');
    const cancelled = await submit('Never starts');
    await node.client.cancel(cancelled);
    await waitFor(async () => (await node.client.get(hanging)).status === 'running', { what: 'the hanging task to run' });
    await node.client.cancel(hanging);
    const graph = await node.client.submitOrchestration({
      name: 'two steps',
      tasks: [
        { identifier: 'first', execution_prompt: 'First [fake:success]', working_directory: project },
        { identifier: 'second', execution_prompt: 'Second [fake:success]', working_directory: project, depends_on: ['first'] },
      ],
    });

    const done = await hooks.waitFor(about('task.completed', completed), 'task.completed');
    expect(done.event.task).toEqual(await node.client.get(completed));
    expect((await hooks.waitFor(about('task.failed', failed), 'task.failed')).event.task?.status).toBe('failed');
    await hooks.waitFor(about('task.cancelled', cancelled), 'task.cancelled of the pending task');
    await hooks.waitFor(about('task.cancelled', hanging), 'task.cancelled of the running task');
    const ended = await hooks.waitFor((delivery) => delivery.event.type === 'orchestration.completed', 'orchestration.completed');
    expect(ended.event.orchestration).toMatchObject({ id: graph.orchestration.id, status: 'completed' });

    // Only the events that end work or need attention are sent, each once, and every one was signed.
    expect(hooks.received.every((delivery) => delivery.verified)).toBe(true);
    const types = new Set(hooks.received.map((delivery) => delivery.event.type));
    expect([...types].sort()).toEqual(['orchestration.completed', 'task.cancelled', 'task.completed', 'task.failed']);
    const deliveries = hooks.received.map((delivery) => delivery.delivery);
    expect(new Set(deliveries).size).toBe(deliveries.length);
  });

  it('send a delivery again, under the same delivery id, while the receiver answers 500', async () => {
    const hooks = await receiver();
    hooks.answer(500);
    const node = await server(hooks.url);
    const { task } = await node.client.submit({ execution_prompt: 'Write [fake:success]', working_directory: project });

    const first = await hooks.waitFor(about('task.completed', task.id), 'the first attempt');
    await hooks.waitFor(
      (delivery) => about('task.completed', task.id)(delivery) && delivery !== first,
      'a second attempt after the 500',
    );
    hooks.answer(200);
    const taken = await hooks.waitFor(
      (delivery) => about('task.completed', task.id)(delivery) && delivery.status === 200,
      'an attempt it takes',
    );
    expect(taken.delivery).toBe(first.delivery);
    expect(taken.verified).toBe(true);
  });

  it('make a delivery owed when the server was killed with SIGKILL after the restart', async () => {
    const hooks = await receiver();
    hooks.answer(500);
    // The next try after the failed one is 3 s away: the server is killed well before it.
    const first = await server(hooks.url, { CLAUDE_WORKER_WEBHOOK_RETRY_MS: '3000' });
    const { task } = await first.client.submit({ execution_prompt: 'Write [fake:success]', working_directory: project });
    await hooks.waitFor(about('task.completed', task.id), 'the failed attempt');
    // Killed once the failure is recorded, not while the attempt is in flight (its lease would hold it for a minute).
    await waitFor(() => settledFailures(join(home, 'tasks.db')) === 1, { what: 'the failed attempt to be recorded' });
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    hooks.answer(200);
    const second = await server(hooks.url);
    expect((await second.client.get(task.id)).status).toBe('completed');
    // Only the restarted server is there to send it now.
    const delivered = await hooks.waitFor(
      (delivery) => about('task.completed', task.id)(delivery) && delivery.status === 200,
      'the delivery after the restart',
    );
    expect(delivered.verified).toBe(true);
  });
});
