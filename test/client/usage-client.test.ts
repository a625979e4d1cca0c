import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;
let client: ClaudeWorkerClient;

beforeEach(async () => {
  api = await createApiFixture();
  client = new ClaudeWorkerClient({ baseUrl: await api.listen(), token: null });
});

afterEach(async () => {
  await api.close();
});

it('reads the usage report over HTTP, as the local service makes it', async () => {
  await api.service.submit({ execution_prompt: 'x', working_directory: api.dir, model: 'sonnet' });
  const { lease } = await api.claim();
  await api.store.complete(lease, {
    final_summary: 'done',
    cost_usd: 0.2,
    usage: { input_tokens: 5, output_tokens: 6, cache_creation_input_tokens: 7, cache_read_input_tokens: 8 },
    num_turns: 1,
    duration_ms: 10,
    session_id: null,
    api_key_source: null,
  });

  const report = await client.usage({ days: 3 });
  expect(report).toEqual(await api.service.usage({ days: 3 }));
  expect(report).toMatchObject({ days: 3, total: { tasks: 1, cost_usd: 0.2, cache_read_input_tokens: 8 } });
  expect((await client.usage()).days).toBe(7);
});

it('turns a refused number of days into a ValidationError naming the field', async () => {
  const error = await client.usage({ days: 0 }).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['days']);
});
