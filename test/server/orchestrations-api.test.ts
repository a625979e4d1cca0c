import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestrationDetail, OrchestrationPage } from '../../src/core/orchestration.js';
import { emptyRunStats, type Task } from '../../src/core/task.js';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { OrchestrationNotFoundError, ValidationError } from '../../src/core/errors.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

function diamond(extra: Record<string, unknown> = {}) {
  const task = (identifier: string, depends_on: string[] = []) => ({
    identifier,
    depends_on,
    execution_prompt: `Do ${identifier} in ./src`,
    working_directory: api.dir,
  });
  return { name: 'diamond', tasks: [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])], ...extra };
}

async function post(payload: unknown) {
  return api.app.inject({ method: 'POST', url: '/api/v1/orchestrations', payload: payload as Record<string, unknown> });
}

describe('POST /api/v1/orchestrations', () => {
  it('creates the orchestration with its tasks, defaults filled, and reads it back unchanged', async () => {
    const response = await post(diamond());
    expect(response.statusCode).toBe(201);
    const created = response.json<OrchestrationDetail>();
    expect(created).toMatchObject({
      name: 'diamond',
      failure_policy: 'skip_dependents',
      pass_results: true,
      key: null,
      status: 'running',
      cancel_requested: false,
    });
    expect(created.counts).toMatchObject({ pending: 1, waiting: 3 });
    expect(created.tasks.map((t) => [t.identifier, t.status, t.depends_on, t.orchestration_id])).toEqual([
      ['a', 'pending', [], created.id],
      ['b', 'waiting', ['a'], created.id],
      ['c', 'waiting', ['a'], created.id],
      ['d', 'waiting', ['b', 'c'], created.id],
    ]);
    expect(created.tasks[0]).toMatchObject({ permission_mode: 'acceptEdits', timeout_seconds: 600, max_attempts: 2 });

    const read = await api.app.inject({ method: 'GET', url: `/api/v1/orchestrations/${created.id}` });
    expect(read.json()).toEqual(created);
    // A task of the graph says where it belongs in the task view too.
    const task = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${created.tasks[1]!.id}` });
    expect(task.json<Task>()).toMatchObject({ orchestration_id: created.id, identifier: 'b', status: 'waiting' });
  });

  it('names an orchestration sent without a name (or with null) after its id', async () => {
    const { name: _, ...nameless } = diamond();
    const created = await post(nameless);
    expect(created.statusCode).toBe(201);
    const { id, name } = created.json<OrchestrationDetail>();
    expect(name).toBe(`orchestration ${id}`);
    const read = await api.app.inject({ method: 'GET', url: `/api/v1/orchestrations/${id}` });
    expect(read.json<OrchestrationDetail>().name).toBe(`orchestration ${id}`);

    const withNull = (await post(diamond({ name: null }))).json<OrchestrationDetail>();
    expect(withNull.name).toBe(`orchestration ${withNull.id}`);
  });

  it('answers 200 with the existing orchestration for a key sent again without its name', async () => {
    const first = (await post(diamond({ key: 'release-2' }))).json<OrchestrationDetail>();
    const { name: _, ...nameless } = diamond({ key: 'release-2' });
    const again = await post(nameless);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first);
  });

  it('answers 200 with the existing orchestration when the key matches, creating nothing', async () => {
    const first = (await post(diamond({ key: 'release-1' }))).json<OrchestrationDetail>();
    const again = await post(diamond({ key: 'release-1', name: 'changed' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first);
    const tasks = await api.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=100' });
    expect(tasks.json<{ tasks: Task[] }>().tasks).toHaveLength(4);
  });

  it('answers 409 idempotency_conflict naming what differs when the key was used for another graph, creating nothing', async () => {
    const first = (await post(diamond({ key: 'release-2' }))).json<OrchestrationDetail>();
    const changed = diamond({ key: 'release-2', failure_policy: 'continue' });
    changed.tasks[2]!.execution_prompt = 'Do something else';
    changed.tasks[3]!.depends_on = ['b'];
    const again = await post(changed);
    expect(again.statusCode).toBe(409);
    const { error } = again.json<{ error: { code: string; message: string; issues: { field: string }[] } }>();
    expect(error.code).toBe('idempotency_conflict');
    expect(error.message).toContain(
      `already used for orchestration ${first.id}, which differs in failure_policy, tasks[2].execution_prompt, tasks[3].depends_on.`,
    );
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'failure_policy',
      'tasks[2].execution_prompt',
      'tasks[3].depends_on',
    ]);
    const tasks = await api.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=100' });
    expect(tasks.json<{ tasks: Task[] }>().tasks).toHaveLength(4);
  });

  it('rejects a cycle, an unknown dependency and a duplicate identifier together, storing nothing', async () => {
    const input = diamond();
    input.tasks[0]!.depends_on = ['d'];
    input.tasks[1]!.depends_on = ['a', 'nowhere'];
    input.tasks[3]!.identifier = 'c';
    const response = await post(input);

    expect(response.statusCode).toBe(400);
    const { error } = response.json<{ error: { code: string; issues: { field: string; message: string }[] } }>();
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([
      { field: 'tasks[3].identifier', message: '"c" is already the identifier of tasks[2]' },
      { field: 'tasks[0].depends_on[0]', message: expect.stringContaining('no task has the identifier "d"') },
      { field: 'tasks[1].depends_on[1]', message: expect.stringContaining('no task has the identifier "nowhere"') },
      // The second "c" depends on the first one's name: on itself.
      { field: 'tasks[3].depends_on[1]', message: 'task "c" depends on itself' },
    ]);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations' })).json<OrchestrationPage>().orchestrations,
    ).toEqual([]);
  });

  it('rejects cycles by naming each, and unknown fields, through the typed client', async () => {
    const url = await api.listen();
    const client = new ClaudeWorkerClient({ baseUrl: url, token: null });
    const input = { ...diamond(), colour: 'blue' };
    input.tasks[0]!.depends_on = ['d'];
    const error = await client.submitOrchestration(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'body', message: 'unknown field(s): colour' },
      { field: 'tasks[1].depends_on[0]', message: 'cycle: a -> d -> b -> a' },
      { field: 'tasks[2].depends_on[0]', message: 'cycle: a -> d -> c -> a' },
    ]);
  });
});

describe('reading and cancelling orchestrations', () => {
  it('lists newest first in pages, without tasks', async () => {
    const first = (await post(diamond({ name: 'first' }))).json<OrchestrationDetail>();
    const second = (await post(diamond({ name: 'second' }))).json<OrchestrationDetail>();
    const page = (await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations?limit=1' })).json<OrchestrationPage>();
    expect(page.orchestrations.map((o) => o.id)).toEqual([second.id]);
    expect(page.orchestrations[0]).not.toHaveProperty('tasks');
    const older = (
      await api.app.inject({ method: 'GET', url: `/api/v1/orchestrations?cursor=${page.next_cursor}` })
    ).json<OrchestrationPage>();
    expect(older).toEqual({ orchestrations: [expect.objectContaining({ id: first.id, name: 'first' })], next_cursor: null });
  });

  it('cancels: running asked to stop, pending cancelled, waiting skipped; the status follows', async () => {
    const created = (
      await post({ ...diamond(), tasks: [...diamond().tasks, { ...diamond().tasks[0]!, identifier: 'e' }] })
    ).json<OrchestrationDetail>();
    const { lease } = await api.claim();
    const response = await api.app.inject({ method: 'POST', url: `/api/v1/orchestrations/${created.id}/cancel` });
    expect(response.statusCode).toBe(200);
    const cancelling = response.json<OrchestrationDetail>();
    expect(cancelling).toMatchObject({ status: 'running', cancel_requested: true });
    expect(cancelling.tasks.map((t) => [t.identifier, t.status])).toEqual([
      ['a', 'running'],
      ['b', 'skipped'],
      ['c', 'skipped'],
      ['d', 'skipped'],
      ['e', 'cancelled'],
    ]);
    expect(cancelling.tasks[0]!.cancel_requested).toBe(true);

    await api.store.markCancelled(lease, emptyRunStats());
    const ended = await api.service.getOrchestration(created.id);
    expect(ended.status).toBe('cancelled');
  });

  it('answers 404 for an orchestration that does not exist, and 400 for a bad id', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations/999' })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/orchestrations/999/cancel' })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations/abc' })).statusCode).toBe(400);
    const client = new ClaudeWorkerClient({ baseUrl: await api.listen(), token: null });
    await expect(client.getOrchestration(999)).rejects.toBeInstanceOf(OrchestrationNotFoundError);
  });

  it('reports completed when every task completed, failed when one failed', async () => {
    const created = (await post(diamond({ failure_policy: 'continue' }))).json<OrchestrationDetail>();
    for (const outcome of ['completed', 'failed', 'completed', 'completed'] as const) {
      const { lease } = await api.claim();
      if (outcome === 'completed') await api.store.complete(lease, { final_summary: 'ok', ...emptyRunStats() });
      else await api.store.fail(lease, { error_code: 'agent_error', error_message: 'no' }, null);
    }
    const ended = await api.service.getOrchestration(created.id);
    expect(ended).toMatchObject({ status: 'failed', counts: expect.objectContaining({ completed: 3, failed: 1 }) });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, object> }>();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/orchestrations', '/api/v1/orchestrations/{id}', '/api/v1/orchestrations/{id}/cancel']),
    );
  });

  it('documents the name as optional, with its default', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<
        string,
        {
          post?: {
            requestBody: {
              content: Record<string, { schema: { required: string[]; properties: Record<string, { description?: string }> } }>;
            };
          };
        }
      >;
    }>();
    const body = document.paths['/api/v1/orchestrations']!.post!.requestBody.content['application/json']!.schema;
    expect(body.required).toEqual(['tasks']);
    expect(body.properties.name!.description).toContain('default "orchestration <id>"');
  });
});
