import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import type { UsageReport } from '../../src/core/usage.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

interface ErrorJson {
  error: { code: string; issues?: { field: string; message: string }[] };
}

function issuesOf(response: LightMyRequestResponse): Record<string, string> {
  expect(response.statusCode).toBe(400);
  const body = response.json<ErrorJson>();
  expect(body.error.code).toBe('validation_failed');
  return Object.fromEntries(body.error.issues!.map((issue) => [issue.field, issue.message]));
}

const postTask = (fields: object) =>
  api.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { execution_prompt: 'Summarise ./README.md', working_directory: api.dir, ...fields },
  });

const postOrchestration = (fields: object) =>
  api.app.inject({
    method: 'POST',
    url: '/api/v1/orchestrations',
    payload: { tasks: [{ identifier: 'a', execution_prompt: 'Summarise ./README.md', working_directory: api.dir }], ...fields },
  });

async function expectNothingStored(): Promise<void> {
  expect((await api.service.list()).tasks).toEqual([]);
  expect((await api.service.listOrchestrations()).orchestrations).toEqual([]);
}

describe('budgets over REST', () => {
  it("keep a task's max_budget_usd and show it when the task is read or listed", async () => {
    const created = await postTask({ max_budget_usd: 0.5 });
    expect(created.statusCode).toBe(201);
    const task = created.json<Task>();
    expect(task.max_budget_usd).toBe(0.5);
    expect((await api.service.get(task.id)).max_budget_usd).toBe(0.5);
    expect((await api.service.list()).tasks[0]!.max_budget_usd).toBe(0.5);
    expect((await postTask({})).json<Task>().max_budget_usd).toBeNull();
  });

  it('refuse a budget that is negative, zero, not a number or absurd, and store nothing', async () => {
    expect(issuesOf(await postTask({ max_budget_usd: -1 })).max_budget_usd).toBe('max_budget_usd must be above 0 (got -1)');
    expect(issuesOf(await postTask({ max_budget_usd: 0 })).max_budget_usd).toMatch(/above 0/);
    expect(issuesOf(await postTask({ max_budget_usd: '0.5' })).max_budget_usd).toBe(
      'max_budget_usd must be a number of US dollars, such as 0.5 (got "0.5")',
    );
    expect(issuesOf(await postTask({ max_budget_usd: 1e9 })).max_budget_usd).toMatch(/at most 10000/);
    expect(issuesOf(await postOrchestration({ budget_usd: 'lots' })).budget_usd).toMatch(/must be a number of US dollars/);
    expect(issuesOf(await postOrchestration({ budget_usd: -2 })).budget_usd).toMatch(/above 0/);
    const perTask = issuesOf(
      await postOrchestration({
        tasks: [{ identifier: 'a', execution_prompt: 'x', working_directory: api.dir, max_budget_usd: -1 }],
      }),
    );
    expect(perTask['tasks[0].max_budget_usd']).toMatch(/above 0/);
    await expectNothingStored();
  });

  it("keep an orchestration's budget_usd and each task's max_budget_usd, and show what it spent", async () => {
    const response = await postOrchestration({
      budget_usd: 2,
      tasks: [{ identifier: 'a', execution_prompt: 'x', working_directory: api.dir, max_budget_usd: 0.25 }],
    });
    expect(response.statusCode).toBe(201);
    const orchestration = response.json<{ id: number; budget_usd: number; spent_usd: number; tasks: Task[] }>();
    expect(orchestration).toMatchObject({ budget_usd: 2, spent_usd: 0 });
    expect(orchestration.tasks[0]!.max_budget_usd).toBe(0.25);
    const listed = (await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations' })).json<{
      orchestrations: object[];
    }>();
    expect(listed.orchestrations[0]).toMatchObject({ budget_usd: 2, spent_usd: 0 });
  });
});

describe('GET /api/v1/usage', () => {
  it('reports the tasks that ran, by day and model, over 7 days by default', async () => {
    const { task } = await api.service.submit({ execution_prompt: 'x', working_directory: api.dir, model: 'opus' });
    const { lease } = await api.claim();
    await api.store.fail(
      lease,
      {
        error_code: 'agent_error',
        error_message: 'broke',
        cost_usd: 0.75,
        usage: { input_tokens: 300, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
      null,
    );
    expect((await api.service.get(task.id)).status).toBe('failed');

    const response = await api.app.inject({ method: 'GET', url: '/api/v1/usage' });
    expect(response.statusCode).toBe(200);
    const report = response.json<UsageReport>();
    const figures = {
      tasks: 1,
      failures: 1,
      cost_usd: 0.75,
      input_tokens: 300,
      output_tokens: 40,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    expect(report).toEqual({
      days: 7,
      since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      by_day: [{ day: new Date().toISOString().slice(0, 10), ...figures }],
      by_model: [{ model: 'opus', ...figures }],
      total: figures,
    });
  });

  it('refuses days outside 1 to 366, or not a whole number', async () => {
    for (const days of ['0', '367', 'seven', '1.5']) {
      const response = await api.app.inject({ method: 'GET', url: `/api/v1/usage?days=${days}` });
      expect(issuesOf(response).days).toMatch(/days must be a whole number from 1 to 366/);
    }
  });

  it('is in the OpenAPI document, with the budgets in the task and orchestration schemas', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>();
    expect(doc.paths['/api/v1/usage']?.get?.parameters?.map((p) => p.name)).toEqual(['days']);
    const text = JSON.stringify(doc);
    expect(text).toContain('"max_budget_usd"');
    expect(text).toContain('"budget_usd"');
    expect(text).toContain('"spent_usd"');
  });
});
