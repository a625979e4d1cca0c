import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyRunStats, type Task, type TaskPage } from '../../src/core/task.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

async function submit(prompt: string, extra: Record<string, unknown> = {}): Promise<Task> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { execution_prompt: prompt, working_directory: api.dir, ...extra },
  });
  expect(response.statusCode).toBe(201);
  return response.json<Task>();
}

describe('POST /api/v1/tasks', () => {
  it('creates a pending task that reads back unchanged', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { execution_prompt: 'Refactor ./src/auth', working_directory: api.dir, model: 'sonnet', max_turns: 5 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const task = response.json<Task>();
    expect(task).toMatchObject({
      status: 'pending',
      execution_prompt: 'Refactor ./src/auth',
      working_directory: api.dir,
      model: 'sonnet',
      max_turns: 5,
      permission_mode: 'acceptEdits',
    });
    const read = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(task);
  });

  it('stores required labels, names in order, and shows {} on a task that requires none', async () => {
    const labelled = await submit('Train the model', { required_labels: { region: 'eu', gpu: 'true' } });
    expect(Object.entries(labelled.required_labels)).toEqual([
      ['gpu', 'true'],
      ['region', 'eu'],
    ]);
    expect((await submit('Anywhere')).required_labels).toEqual({});
  });

  it('answers 200 with the existing task when the idempotency key matches', async () => {
    const first = await submit('Once', { idempotency_key: 'job-7' });
    const again = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { execution_prompt: 'Once', working_directory: api.dir, idempotency_key: 'job-7' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<Task>().id).toBe(first.id);
    expect((await api.service.list()).tasks).toHaveLength(1);
  });

  it('answers 409 idempotency_conflict naming the fields that differ when the key was used for another task', async () => {
    const first = await submit('Once', { idempotency_key: 'job-8', required_labels: { gpu: 'true' } });
    const again = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        execution_prompt: 'Something else',
        working_directory: api.dir,
        idempotency_key: 'job-8',
        model: 'opus',
        required_labels: { gpu: 'true' },
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: {
        code: 'idempotency_conflict',
        message:
          `This idempotency key was already used for task ${first.id}, which differs in execution_prompt, model. Nothing was stored. ` +
          `Send the same request to get task ${first.id} back, or use a new key for a new task.`,
        issues: [
          { field: 'execution_prompt', message: `differs from task ${first.id}` },
          { field: 'model', message: `differs from task ${first.id}` },
        ],
      },
    });
    expect((await api.service.list()).tasks).toHaveLength(1);
  });
});

describe('GET /api/v1/tasks', () => {
  async function list(query: string): Promise<TaskPage> {
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/tasks${query}` });
    expect(response.statusCode).toBe(200);
    return response.json<TaskPage>();
  }

  it('lists newest first and pages with the cursor until it is null', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit(`Task ${i}`)).id);
    const newestFirst = [...ids].reverse();

    const first = await list('?limit=2');
    expect(first.tasks.map((t) => t.id)).toEqual(newestFirst.slice(0, 2));
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.tasks.map((t) => t.id)).toEqual(newestFirst.slice(2, 4));
    const last = await list(`?limit=2&cursor=${second.next_cursor}`);
    expect(last.tasks.map((t) => t.id)).toEqual(newestFirst.slice(4));
    expect(last.next_cursor).toBeNull();
  });

  it('filters by status', async () => {
    const running = await submit('Runs');
    const waiting = await submit('Waits');
    await api.claim();
    expect((await list('?status=running')).tasks.map((t) => t.id)).toEqual([running.id]);
    expect((await list('?status=pending')).tasks.map((t) => t.id)).toEqual([waiting.id]);
    expect((await list('?status=completed')).tasks).toEqual([]);
  });
});

describe('POST /api/v1/tasks/:id/cancel', () => {
  it('cancels a pending task at once', async () => {
    const task = await submit('Never mind');
    const response = await api.app.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/cancel` });
    expect(response.statusCode).toBe(200);
    expect(response.json<Task>()).toMatchObject({ id: task.id, status: 'cancelled', cancel_requested: true });
    expect((await api.service.get(task.id)).status).toBe('cancelled');
  });

  it('marks a running task for its runner to stop', async () => {
    const task = await submit('Long job');
    await api.claim();
    const response = await api.app.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/cancel` });
    expect(response.json<Task>()).toMatchObject({ status: 'running', cancel_requested: true });
  });

  it('answers 404 for an unknown task', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/tasks/41/cancel' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('Task 41 not found') } });
  });
});

describe('GET /api/v1/tasks/:id/logs', () => {
  it('returns the summary log as text, or its last lines with tail', async () => {
    const task = await submit('Write things');
    const writer = api.logs.openWriter(task.id);
    for (const line of ['[Read] a.ts', '[Write] b.ts', '[assistant] Done.']) writer.line(line);
    await writer.close();

    const all = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}/logs` });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(
      all.body
        .trimEnd()
        .split('\n')
        .map((line) => line.replace(/^\S+ /, '')),
    ).toEqual(['[Read] a.ts', '[Write] b.ts', '[assistant] Done.']);

    const tail = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}/logs?tail=1` });
    expect(tail.body).toMatch(/^\S+ \[assistant\] Done\.\n$/);
  });

  it('returns an empty text for a task that has not logged yet, and 404 for an unknown one', async () => {
    const task = await submit('Quiet');
    const empty = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}/logs` });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toBe('');
    const unknown = await api.app.inject({ method: 'GET', url: '/api/v1/tasks/999/logs' });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('GET /api/v1/workers', () => {
  it('lists the registered workers with their running tasks, and how long stopped ones stay listed', async () => {
    const registration = { name: 'gpu-box', host: 'h1', pid: 42, labels: { gpu: 'true' }, capacity: 2, leaseMs: 60_000 };
    await api.store.registerWorker({ ...registration, id: 'api-test-worker', state: 'active' });
    await api.store.registerWorker({ ...registration, id: 'gone', name: 'old-box', state: 'stopped' });
    await submit('Runs');
    await api.claim();

    const response = await api.app.inject({ method: 'GET', url: '/api/v1/workers' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      workers: [
        {
          id: 'api-test-worker',
          name: 'gpu-box',
          host: 'h1',
          pid: 42,
          labels: { gpu: 'true' },
          capacity: 2,
          running: 1,
          state: 'active',
          started_at: expect.stringMatching(/Z$/),
          last_heartbeat_at: expect.stringMatching(/Z$/),
          heartbeat_age_seconds: 0,
        },
        expect.objectContaining({ id: 'gone', name: 'old-box', running: 0, state: 'stopped' }),
      ],
      retention_seconds: 86_400,
      queue_pause: null,
    });
  });
});

describe('GET /health and /openapi.json', () => {
  it('reports health with queue counts', async () => {
    await submit('One');
    await submit('Two');
    await api.claim();
    const response = await api.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'healthy',
      service: 'claude-worker',
      version: expect.any(String),
      uptime_seconds: expect.any(Number),
      max_concurrency: 2,
      running: 1,
      pending: 1,
    });
  });

  it('documents every route with its schemas', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: object }> }>>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe('0.0.0-test');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/board',
      '/api/v1/events',
      '/api/v1/orchestrations',
      '/api/v1/orchestrations/{id}',
      '/api/v1/orchestrations/{id}/cancel',
      '/api/v1/orchestrations/{id}/merge',
      '/api/v1/queue/resume',
      '/api/v1/tasks',
      '/api/v1/tasks/wait',
      '/api/v1/tasks/{id}',
      '/api/v1/tasks/{id}/cancel',
      '/api/v1/tasks/{id}/continue',
      '/api/v1/tasks/{id}/diff',
      '/api/v1/tasks/{id}/discard',
      '/api/v1/tasks/{id}/logs',
      '/api/v1/tasks/{id}/merge',
      '/api/v1/tasks/{id}/worktree',
      '/api/v1/usage',
      '/api/v1/workers',
      '/health',
    ]);
    expect(JSON.stringify(doc.paths['/api/v1/board']!.get!.responses['200'])).toContain('prompt_start');
    const create = doc.paths['/api/v1/tasks']!.post!;
    expect(JSON.stringify(create.requestBody)).toContain('required_labels');
    expect(JSON.stringify(doc.paths['/api/v1/workers']!.get!.responses['200'])).toContain('heartbeat_age_seconds');
    expect(JSON.stringify(create.requestBody)).toContain('execution_prompt');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '413']));
    const merge = doc.paths['/api/v1/tasks/{id}/merge']!.post!;
    expect(JSON.stringify(merge.requestBody)).toContain('squash');
    expect(JSON.stringify(merge.responses['200'])).toContain('fast_forward');
    expect(Object.keys(merge.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(JSON.stringify(doc.paths['/api/v1/tasks/{id}/diff']!.get!.responses['200'])).toContain('insertions');
    expect(Object.keys(doc.paths['/api/v1/tasks/{id}/logs']!.get!.responses['200']!.content!)).toEqual([
      'text/plain',
      'text/event-stream',
    ]);
    expect(Object.keys(doc.paths['/api/v1/events']!.get!.responses['200']!.content!)).toEqual(['text/event-stream']);
  });
});

describe('POST /api/v1/tasks/wait', () => {
  const wait = (payload: Record<string, unknown>) => api.app.inject({ method: 'POST', url: '/api/v1/tasks/wait', payload });

  it('answers once every task has ended, woken by the change, with each task', async () => {
    const done = await submit('Ends now');
    await api.service.cancel(done.id);
    const running = await submit('Ends while the request waits');
    const { lease } = await api.claim();
    const answer = wait({ task_ids: [done.id, running.id], timeout_seconds: 40 });
    await api.store.complete(lease, { final_summary: 'Done.', ...emptyRunStats() });
    const response = await answer;
    expect(response.statusCode).toBe(200);
    const outcome = response.json<{ all_terminal: boolean; tasks: Task[] }>();
    expect(outcome.all_terminal).toBe(true);
    expect(outcome.tasks.map((task) => [task.id, task.status])).toEqual([
      [done.id, 'cancelled'],
      [running.id, 'completed'],
    ]);
  });

  it('answers at the timeout with the tasks still running', async () => {
    const task = await submit('Stays pending');
    const response = await wait({ task_ids: [task.id], timeout_seconds: 0 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ all_terminal: false, tasks: [{ id: task.id, status: 'pending' }] });
  });

  it('rejects an empty or oversized list and an unknown task', async () => {
    const empty = await wait({ task_ids: [], timeout_seconds: -1 });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.issues.map((issue: { field: string }) => issue.field)).toEqual(['task_ids', 'timeout_seconds']);
    expect((await wait({ task_ids: Array.from({ length: 101 }, (_, i) => i + 1) })).statusCode).toBe(400);
    expect((await wait({ task_ids: [404] })).statusCode).toBe(404);
  });
});
