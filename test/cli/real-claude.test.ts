import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '../../src/core/schemas.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

// The real Claude Code binary bundled with the Agent SDK, against a loopback Messages API.
let api: FakeAnthropicApi;
let cli: CliHome;

beforeAll(async () => {
  api = await startFakeAnthropicApi();
  cli = await createCliHome((home) => ({ ...realClaudeEnv(api.url, home), CLAUDE_WORKER_CLAUDE_PATH: undefined }));
});

afterAll(async () => {
  await cli?.dispose();
  await api?.close();
});

describe('run --watch with the real Claude Code', () => {
  it('ends completed, with the file the agent wrote on disk and its cost and turns recorded', async () => {
    const project = join(cli.home, 'project');
    await mkdir(project);
    const result = await cli.run(['run', 'Create the greeting file [write:greeting.txt]', '--dir', project, '--watch', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const task = taskSchema.parse(JSON.parse(result.stdout));
    expect(task).toMatchObject({
      status: 'completed',
      final_summary: 'Done. The task is complete.',
      last_action_cache: '[Write] greeting.txt',
      num_turns: 2,
      api_key_source: 'ANTHROPIC_API_KEY',
    });
    expect(task.cost_usd).toBeGreaterThan(0);
    expect(await readFile(join(project, 'greeting.txt'), 'utf8')).toBe('written by the agent\n');
    // The server behind it was started for this command.
    expect(result.stderr).toMatch(/^Started claude-worker server at /);
  });
});
