import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_CLAUDE, startServerProcess, type ServerProcess } from '../support/server-process.js';

let home: string;
let server: ServerProcess | null = null;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-options-'));
});

afterEach(async () => {
  await server?.stop();
  await rm(home, { recursive: true, force: true });
});

it('server start --permission-mode sets the default for tasks that name none', async () => {
  server = await startServerProcess(
    { PATH: process.env.PATH, HOME: home, CLAUDE_WORKER_HOME: home, CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE },
    { args: ['--permission-mode', 'plan'] },
  );
  const { task } = await server.client.submit({ execution_prompt: '[fake:hang] x', working_directory: home });
  expect(task.permission_mode).toBe('plan');
  const explicit = await server.client.submit({ execution_prompt: '[fake:hang] y', working_directory: home, permission_mode: 'acceptEdits' });
  expect(explicit.task.permission_mode).toBe('acceptEdits');
});
