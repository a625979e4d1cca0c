/** A CLI user who meets a server with a token is told which variable to set, not which HTTP header to send. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

let api: ApiFixture;
let cli: CliHome;

beforeAll(async () => {
  api = await createApiFixture({ token: 'the-server-token' });
  const url = await api.listen();
  cli = await createCliHome(() => ({ CLAUDE_WORKER_SERVER_URL: url, CLAUDE_WORKER_TOKEN: undefined }));
});

afterAll(async () => {
  await cli?.dispose();
  await api?.close();
});

it('says to set CLAUDE_WORKER_TOKEN when it has none', async () => {
  const result = await cli.run(['list']);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(
    `error: The server at ${cli.env.CLAUDE_WORKER_SERVER_URL} requires a token: set CLAUDE_WORKER_TOKEN to the token the server was started with.\n`,
  );
});

it('says CLAUDE_WORKER_TOKEN is wrong when the server refuses it', async () => {
  const result = await cli.run(['list'], { env: { CLAUDE_WORKER_TOKEN: 'not-it' } });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('refused the token: set CLAUDE_WORKER_TOKEN to the token the server was started with.');
});
