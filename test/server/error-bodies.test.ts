/**
 * Every error reply has the documented shape `{ error: { code, message,
 * issues? } }`, including the ones Fastify and Node's HTTP parser answer
 * themselves, says what is wrong for an HTTP client, and stays small
 * whatever the request held.
 */
import { request as httpRequest } from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

/** The error of a reply, after checking it has our shape and nothing else. */
function errorOf(response: LightMyRequestResponse | { statusCode: number; body: string }, status: number): ErrorJson['error'] {
  expect(response.statusCode).toBe(status);
  const body = JSON.parse(response.body) as ErrorJson;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

function postRaw(url: string, headers: Record<string, string>, payload: string) {
  return api.app.inject({ method: 'POST', url, headers, payload });
}

describe('replies Fastify and Node would shape themselves', () => {
  it('answers a path id over 100 characters with 414 in our shape', async () => {
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${'1'.repeat(150)}` });
    const error = errorOf(response, 414);
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([{ field: 'path', message: expect.stringMatching(/longer than 100 characters/) }]);
  });

  it('answers oversized headers with 431 in our shape', async () => {
    const base = new URL(await api.listen());
    const response = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: base.hostname, port: base.port, path: '/health', headers: { 'x-padding': 'a'.repeat(64 * 1024) } },
        (reply) => {
          let body = '';
          reply.setEncoding('utf8');
          reply.on('data', (chunk: string) => (body += chunk));
          reply.on('end', () => resolve({ statusCode: reply.statusCode!, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    const error = errorOf(response, 431);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/headers are larger than/);
  });
});

describe('bodies in the wrong media type', () => {
  it('answers a text/plain body with 415, as documented', async () => {
    const response = await postRaw('/api/v1/tasks', { 'content-type': 'text/plain' }, 'Refactor ./src');
    expect(errorOf(response, 415).issues).toEqual([
      { field: 'content-type', message: 'must be application/json (got "text/plain")' },
    ]);
  });

  it('says a body came without a content type, not "undefined"', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: Buffer.from('{"execution_prompt": "x"}'),
    });
    const error = errorOf(response, 415);
    expect(error.message).not.toContain('undefined');
    expect(error.issues).toEqual([
      { field: 'content-type', message: 'is missing; send the body with Content-Type: application/json' },
    ]);
  });

  it('accepts a cancel with a JSON content type and an empty body', async () => {
    const { task } = await api.service.submit({ execution_prompt: 'x', working_directory: api.dir });
    const response = await postRaw(`/api/v1/tasks/${task.id}/cancel`, { 'content-type': 'application/json' }, '');
    expect(response.statusCode).toBe(200);
    expect(response.json<{ status: string }>().status).toBe('cancelled');
  });
});

describe('what an error reply echoes', () => {
  it('cuts a 3 MB field name to a few hundred characters', async () => {
    const name = 'f'.repeat(3 * 1024 * 1024);
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { execution_prompt: 'x', working_directory: api.dir, [name]: 1 },
    });
    const error = errorOf(response, 400);
    expect(response.body.length).toBeLessThan(2000);
    expect(error.issues).toEqual([{ field: 'body', message: expect.stringContaining(`(${name.length} characters)`) }]);
  });

  it('names a __proto__ key as the refused key, not as invalid JSON', async () => {
    const payload = `{"execution_prompt": "x", "working_directory": ${JSON.stringify(api.dir)}, "required_labels": {"__proto__": {"gpu": "true"}}}`;
    const response = await postRaw('/api/v1/tasks', { 'content-type': 'application/json' }, payload);
    expect(errorOf(response, 400).issues).toEqual([
      {
        field: 'required_labels.__proto__',
        message: 'the key "__proto__" is refused: it would change the prototype of the object that holds it',
      },
    ]);
    expect((await api.service.list()).tasks).toEqual([]);
  });

  it('points an HTTP client to the API, not to a command, for an unknown task or orchestration', async () => {
    const task = errorOf(await api.app.inject({ method: 'GET', url: '/api/v1/tasks/12345' }), 404);
    expect(task.message).toBe('Task 12345 not found. GET /api/v1/tasks lists tasks.');
    const orchestration = errorOf(await api.app.inject({ method: 'GET', url: '/api/v1/orchestrations/7' }), 404);
    expect(orchestration.message).toBe('Orchestration 7 not found. GET /api/v1/orchestrations lists orchestrations.');
  });
});
