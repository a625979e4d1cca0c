import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskService } from '../../src/service/task-service.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

interface ErrorJson {
  error: { code: string; message: string; issues?: { field: string; message: string }[] };
}

/** The issues of a 400 answer, by field. */
function issuesOf(response: LightMyRequestResponse): Record<string, string> {
  expect(response.statusCode).toBe(400);
  const body = response.json<ErrorJson>();
  expect(body.error.code).toBe('validation_failed');
  return Object.fromEntries(body.error.issues!.map((issue) => [issue.field, issue.message]));
}

function post(payload: unknown) {
  return api.app.inject({ method: 'POST', url: '/api/v1/tasks', payload: payload as object });
}

async function expectNothingStored(): Promise<void> {
  expect((await api.service.list()).tasks).toEqual([]);
}

describe('a task body with problems', () => {
  it('lists a missing prompt, an unknown field and a wrong type together', async () => {
    const issues = issuesOf(await post({ working_directory: api.dir, colour: 'red', max_turns: 'ten' }));
    expect(issues).toEqual({
      execution_prompt: 'is required',
      body: 'unknown field(s): colour',
      max_turns: expect.stringMatching(/number/),
    });
    await expectNothingStored();
  });

  it('refuses a webhook_url that is not an absolute http(s) URL, and keeps a good one on the task', async () => {
    for (const url of ['ftp://example.com/hook', '/hooks/local', 'not a url']) {
      expect(issuesOf(await post({ execution_prompt: 'x', working_directory: api.dir, webhook_url: url }))).toEqual({
        webhook_url: `webhook_url must be an absolute http(s) URL (got "${url}")`,
      });
    }
    await expectNothingStored();
    const created = await post({ execution_prompt: 'x', working_directory: api.dir, webhook_url: 'https://example.com/hook' });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ webhook_url: string }>().webhook_url).toBe('https://example.com/hook');
  });

  it('reports a missing working directory together with schema problems', async () => {
    const missing = join(api.dir, 'no-such-dir');
    const issues = issuesOf(await post({ execution_prompt: 'x', working_directory: missing, timeout_seconds: -1 }));
    expect(issues.working_directory).toBe(`${missing} does not exist`);
    expect(issues.timeout_seconds).toBeDefined();
    await expectNothingStored();
  });

  it('refuses a file given as the working directory, and a relative path', async () => {
    const file = join(api.dir, 'notes.txt');
    await writeFile(file, 'x');
    expect(issuesOf(await post({ execution_prompt: 'x', working_directory: file }))).toEqual({
      working_directory: `${file} is not a directory`,
    });
    expect(issuesOf(await post({ execution_prompt: 'x', working_directory: 'src/app' })).working_directory).toMatch(
      /must be an absolute path/,
    );
    await expectNothingStored();
  });

  it('lists every bad required label, by name', async () => {
    const issues = issuesOf(
      await post({
        execution_prompt: 'x',
        working_directory: api.dir,
        required_labels: { 'gpu type': 'a100', region: 'eu,us', ok: 'yes' },
      }),
    );
    expect(issues).toEqual({
      'required_labels.gpu type': expect.stringMatching(/label name "gpu type" must start with a letter or digit/),
      'required_labels.region': expect.stringMatching(/label value "eu,us" must be 1 to 200/),
    });
    expect(issuesOf(await post({ execution_prompt: 'x', working_directory: api.dir, required_labels: ['gpu'] }))).toEqual({
      required_labels: expect.any(String),
    });
    await expectNothingStored();
  });

  it('refuses a body that is not a JSON object', async () => {
    expect(issuesOf(await post([1, 2])).body).toBeDefined();
    await expectNothingStored();
  });

  it('refuses malformed and empty JSON', async () => {
    const malformed = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"execution_prompt": "x",',
    });
    expect(issuesOf(malformed)).toEqual({ body: 'is not valid JSON' });
    const empty = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(issuesOf(empty)).toEqual({ body: 'is empty; send a JSON object' });
    await expectNothingStored();
  });

  it('answers 415 to a media type it does not read', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/xml' },
      payload: '<task/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorJson>().error.issues).toEqual([
      { field: 'content-type', message: 'must be application/json (got "application/xml")' },
    ]);
  });

  it('answers 413 with the limit to a body over it, before parsing it', async () => {
    const response = await post({ execution_prompt: 'x'.repeat(5 * 1024 * 1024), working_directory: api.dir });
    expect(response.statusCode).toBe(413);
    const { error } = response.json<ErrorJson>();
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain(`${4 * 1024 * 1024} byte limit`);
    await expectNothingStored();
  });
});

describe('bad ids and query parameters', () => {
  it.each(['abc', '0', '-3', '1.5', '99999999999999999999'])('refuses the task id %s with 400', async (id) => {
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${id}` });
    expect(Object.keys(issuesOf(response))).toEqual(['id']);
  });

  it('answers 404 for an id that does not exist', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/tasks/12345' });
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorJson>().error.code).toBe('not_found');
  });

  it('lists every bad list parameter', async () => {
    const issues = issuesOf(await api.app.inject({ method: 'GET', url: '/api/v1/tasks?status=done&limit=0&cursor=x&sort=asc' }));
    expect(Object.keys(issues).sort()).toEqual(['cursor', 'limit', 'query', 'status']);
    expect(issues.query).toBe('unknown field(s): sort');
  });

  it('reports a bad id and a bad log parameter together', async () => {
    const issues = issuesOf(await api.app.inject({ method: 'GET', url: '/api/v1/tasks/abc/logs?tail=-1&follow=maybe' }));
    expect(Object.keys(issues).sort()).toEqual(['follow', 'id', 'tail']);
  });

  it('refuses tail together with follow', async () => {
    const { task } = await api.service.submit({ execution_prompt: 'x', working_directory: api.dir });
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}/logs?follow=1&tail=5` });
    expect(issuesOf(response)).toEqual({ tail: 'cannot be combined with follow' });
  });

  it('answers 404 in JSON for an unknown route', async () => {
    const response = await api.app.inject({ method: 'DELETE', url: '/api/v1/tasks/1' });
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorJson>().error).toEqual({
      code: 'not_found',
      message: 'No route DELETE /api/v1/tasks/1. The API is described at /openapi.json',
    });
  });
});

describe('numbers written loosely', () => {
  it.each(['0x1', '0b1', '0o1', '1e0', '+1', ' 1', '1.0'])('does not read the task id %j as task 1', async (id) => {
    await api.service.submit({ execution_prompt: 'x', working_directory: api.dir });
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(id)}` });
    expect(issuesOf(response)).toEqual({
      id: `task id must be a whole number ≥ 1, in decimal digits (got ${JSON.stringify(id)})`,
    });
  });

  it('does not cancel orchestration 1 when asked to cancel 0x1', async () => {
    const { orchestration } = await api.service.submitOrchestration({
      name: 'one',
      tasks: [{ identifier: 'a', execution_prompt: 'x', working_directory: api.dir }],
    });
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/orchestrations/0x1/cancel' });
    expect(Object.keys(issuesOf(response))).toEqual(['id']);
    expect((await api.service.getOrchestration(orchestration.id)).cancel_requested).toBe(false);
  });

  it('refuses a limit or a tail that is not decimal digits, quoting it', async () => {
    expect(issuesOf(await api.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=0x10' }))).toEqual({
      limit: 'limit must be a whole number from 1 to 500, in decimal digits (got "0x10")',
    });
    const { task } = await api.service.submit({ execution_prompt: 'x', working_directory: api.dir });
    expect(issuesOf(await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}/logs?tail=abc` }))).toEqual({
      tail: 'tail must be a whole number from 1 to 100000, in decimal digits (got "abc")',
    });
  });

  it.each(['9223372036854775808', '99999999999999999999999999'])(
    'refuses the cursor %s, past any id, on both lists',
    async (cursor) => {
      for (const list of ['tasks', 'orchestrations']) {
        const response = await api.app.inject({ method: 'GET', url: `/api/v1/${list}?cursor=${cursor}` });
        expect(issuesOf(response)).toEqual({ cursor: `cursor must be a value returned as next_cursor (got "${cursor}")` });
      }
    },
  );
});

describe('text that would reach the Claude Code process', () => {
  it('refuses a NUL byte in every text field, naming each', async () => {
    const issues = issuesOf(
      await post({
        execution_prompt: 'fix\u0000it',
        working_directory: `${api.dir}\u0000/x`,
        system_prompt: 'be\u0000brief',
        model: 'son\u0000net',
      }),
    );
    expect(Object.keys(issues).sort()).toEqual(['execution_prompt', 'model', 'system_prompt', 'working_directory']);
    expect(issues.execution_prompt).toMatch(/must not contain a NUL byte/);
    expect(issues.working_directory).toMatch(/must not contain a NUL byte/);
    await expectNothingStored();
  });

  it.each(['--help', 'sonnet; rm -rf /', 'son net', 'opus\n'])('refuses the model %j', async (model) => {
    expect(issuesOf(await post({ execution_prompt: 'x', working_directory: api.dir, model })).model).toMatch(
      /^model must be a model id or alias/,
    );
  });

  it.each([
    'sonnet',
    'claude-sonnet-4-5-20250929',
    'sonnet[1m]',
    'us.anthropic.claude-sonnet-4-5-v1:0',
    'claude-opus-4@20250514',
  ])('accepts the model %s', async (model) => {
    expect((await post({ execution_prompt: 'x', working_directory: api.dir, model })).statusCode).toBe(201);
  });
});

describe('an unexpected failure inside the service', () => {
  it('is a 500 that does not leak the internal message', async () => {
    const failing = {
      health: () => Promise.reject(new Error('disk I/O error at /secret/path')),
    } as unknown as TaskService;
    const broken = await createApiFixture({ serve: () => failing });
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: { code: 'server_error', message: 'Internal server error; the server log has the details.' },
      });
    } finally {
      await broken.close();
    }
  });
});
