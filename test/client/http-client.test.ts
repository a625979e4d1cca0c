import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  RemoteError,
  ServerUnreachableError,
  TaskNotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../src/core/errors.js';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

const TOKEN = 'client-test-token';

let api: ApiFixture;
let url: string;
let client: ClaudeWorkerClient;

beforeEach(async () => {
  api = await createApiFixture({ token: TOKEN });
  url = await api.listen();
  client = new ClaudeWorkerClient({ baseUrl: url, token: TOKEN });
});

afterEach(async () => {
  await api.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('operations', () => {
  it('submits, reads, lists, cancels and reads logs', async () => {
    const { task, deduplicated } = await client.submit({
      execution_prompt: 'Add tests',
      working_directory: api.dir,
      idempotency_key: 'k1',
    });
    expect(deduplicated).toBe(false);
    expect(task.status).toBe('pending');
    expect(await client.submit({ execution_prompt: 'Add tests', working_directory: api.dir, idempotency_key: 'k1' })).toEqual({
      task,
      deduplicated: true,
    });
    expect(await client.get(task.id)).toEqual(task);

    const second = (await client.submit({ execution_prompt: 'More', working_directory: api.dir })).task;
    const page = await client.list({ limit: 1 });
    expect(page.tasks.map((t) => t.id)).toEqual([second.id]);
    expect((await client.list({ limit: 1, cursor: page.next_cursor! })).tasks.map((t) => t.id)).toEqual([task.id]);
    expect((await client.list({ status: 'cancelled' })).tasks).toEqual([]);

    expect((await client.cancel(task.id)).status).toBe('cancelled');
    expect((await client.list({ status: 'cancelled' })).tasks.map((t) => t.id)).toEqual([task.id]);

    const writer = api.logs.openWriter(second.id);
    writer.line('[Bash] npm test');
    writer.line('[assistant] All green.');
    await writer.close();
    expect(await client.logs(second.id)).toMatch(/\[Bash\] npm test\n.*\[assistant\] All green\.\n$/);
    expect(await client.logs(second.id, { tail: 1 })).toMatch(/^\S+ \[assistant\] All green\.\n$/);
  });

  it('waits for tasks on the server, and maps an unknown task to not_found', async () => {
    const { task } = await client.submit({ execution_prompt: 'Wait for me', working_directory: api.dir });
    const waiting = client.waitForTasks([task.id], 40);
    await client.cancel(task.id);
    expect(await waiting).toMatchObject({ all_terminal: true, tasks: [{ id: task.id, status: 'cancelled' }] });
    expect(await rejection(client.waitForTasks([task.id + 100], 1))).toMatchObject({ code: 'not_found' });
  });

  it('reads health', async () => {
    expect(await client.health()).toMatchObject({ status: 'healthy', service: 'claude-worker', max_concurrency: 2 });
  });

  it('lists the workers', async () => {
    await api.store.registerWorker({
      id: 'w1',
      name: 'node-1',
      host: 'h',
      pid: 7,
      labels: {},
      capacity: 3,
      leaseMs: 60_000,
      state: 'draining',
    });
    expect(await client.workers()).toEqual({
      workers: [expect.objectContaining({ id: 'w1', name: 'node-1', capacity: 3, running: 0, state: 'draining' })],
      retention_seconds: 86_400,
      queue_pause: null,
    });
  });

  it('shows the queue pause in health and workers, and lifts it with resumeQueue', async () => {
    await api.store.pauseQueue({ kind: 'usage_limit', reason: 'usage limit reached (five_hour)', delayMs: 3600_000 });
    const health = await client.health();
    expect(health.pause_reason).toBe('usage limit reached (five_hour)');
    expect(Date.parse(health.paused_until!)).toBeGreaterThan(Date.now());
    expect((await client.workers()).queue_pause).toMatchObject({ kind: 'usage_limit', paused_until: health.paused_until });

    expect(await client.resumeQueue()).toMatchObject({ resumed: true, pause: { reason: 'usage limit reached (five_hour)' } });
    expect(await client.health()).toMatchObject({ paused_until: null, pause_reason: null });
    expect(await client.resumeQueue()).toEqual({ resumed: false, pause: null });
  });
});

describe('typed errors', () => {
  it('a 400 is a ValidationError with every issue', async () => {
    const error = await rejection(client.submit({ working_directory: 'relative/dir', colour: 'red' } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.field).sort()).toEqual([
      'body',
      'execution_prompt',
      'working_directory',
    ]);
  });

  it('a 404 is a TaskNotFoundError naming the task', async () => {
    for (const call of [client.get(77), client.cancel(77), client.logs(77)]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(TaskNotFoundError);
      expect((error as TaskNotFoundError).taskId).toBe(77);
    }
  });

  it('a 401 is an UnauthorizedError', async () => {
    for (const token of [null, 'wrong']) {
      const anonymous = new ClaudeWorkerClient({ baseUrl: url, token });
      expect(await rejection(anonymous.list())).toBeInstanceOf(UnauthorizedError);
    }
  });

  it('a 403 is a ForbiddenError', async () => {
    const fromBrowser = new ClaudeWorkerClient({
      baseUrl: url,
      token: TOKEN,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, origin: 'http://evil.example' } }),
    });
    const error = await rejection(fromBrowser.list());
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toMatch(/Cross-origin/);
  });

  it('a server that does not answer is ServerUnreachableError', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    closed.close();
    await once(closed, 'close');

    const nobody = new ClaudeWorkerClient({ baseUrl: `http://127.0.0.1:${port}`, token: null });
    const error = await rejection(nobody.health());
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as ServerUnreachableError).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('something else answering is a RemoteError, not a silent success', async () => {
    const other = createServer((_req, res) => res.end('<html>hello</html>'));
    other.listen(0, '127.0.0.1');
    await once(other, 'listening');
    try {
      const { port } = other.address() as { port: number };
      const error = await rejection(new ClaudeWorkerClient({ baseUrl: `http://127.0.0.1:${port}`, token: null }).health());
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as RemoteError).message).toMatch(/not like a claude-worker server/);
    } finally {
      other.close();
    }
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new ClaudeWorkerClient({ baseUrl: 'localhost:8000', token: null })).toThrow(ValidationError);
  });
});
