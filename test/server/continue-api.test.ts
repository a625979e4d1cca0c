import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

async function submit(extra: Record<string, unknown> = {}): Promise<Task> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { execution_prompt: 'Write the parser', working_directory: api.dir, ...extra },
  });
  expect(response.statusCode).toBe(201);
  return response.json<Task>();
}

const continueTask = (id: number | string, payload: Record<string, unknown>) =>
  api.app.inject({ method: 'POST', url: `/api/v1/tasks/${id}/continue`, payload });

const taskCount = async () => (await api.service.list({ limit: 500 })).tasks.length;

describe('POST /api/v1/tasks/{id}/continue', () => {
  it('stores a follow-up of a completed task that records continues and keeps its settings', async () => {
    const parent = await submit({ model: 'opus', system_prompt: 'Be brief.', required_labels: { gpu: 'true' }, max_turns: 9 });
    const claimed = await api.store.claimMany({ id: 'w', host: 'h', bootId: 'b', pid: 1, procStartTime: null }, 60_000, 1, {
      gpu: 'true',
    });
    await api.store.complete(claimed[0]!.lease, { final_summary: 'Parser written.', ...noStats });

    const response = await continueTask(parent.id, { message: 'Now add tests', timeout_seconds: 120 });
    expect(response.statusCode).toBe(201);
    const followUp = response.json<Task>();
    expect(followUp).toMatchObject({
      status: 'pending',
      continues: parent.id,
      execution_prompt: 'Now add tests',
      working_directory: api.dir,
      system_prompt: 'Be brief.',
      model: 'opus',
      max_turns: 9,
      timeout_seconds: 120,
      permission_mode: parent.permission_mode,
      required_labels: { gpu: 'true' },
      isolation: parent.isolation,
    });
    expect(followUp.id).not.toBe(parent.id);
    expect(await api.service.get(followUp.id)).toEqual(followUp);
  });

  it('answers 409 for a running or pending task and stores nothing', async () => {
    const running = await submit();
    await api.claim();
    const pending = await submit();
    const before = await taskCount();
    for (const task of [running, pending]) {
      const response = await continueTask(task.id, { message: 'Go on' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: {
          code: 'conflict',
          message: expect.stringContaining(`Task ${task.id} is ${task.id === running.id ? 'running' : 'pending'}`),
        },
      });
    }
    expect(await taskCount()).toBe(before);
  });

  it('answers 404 for an unknown task and 400 for a missing message, storing nothing', async () => {
    const parent = await submit();
    expect((await continueTask(999, { message: 'Go on' })).statusCode).toBe(404);
    const blank = await continueTask(parent.id, { message: ' ', model: 'not a model!' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<{ error: { issues: { field: string }[] } }>().error.issues.map((issue) => issue.field)).toEqual([
      'model',
      'message',
    ]);
    expect(await taskCount()).toBe(1);
  });
});

const noStats = { cost_usd: null, usage: null, num_turns: null, duration_ms: null, session_id: null, api_key_source: null };
