import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Health } from '../../src/core/schemas.js';
import type { Task } from '../../src/core/task.js';
import type { WorkerList } from '../../src/core/worker.js';
import { createCliHome } from '../support/cli-harness.js';
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
  const explicit = await server.client.submit({
    execution_prompt: '[fake:hang] y',
    working_directory: home,
    permission_mode: 'acceptEdits',
  });
  expect(explicit.task.permission_mode).toBe('acceptEdits');
});

it('server start --name and --labels register its runner under that name; the daemon keeps them', async () => {
  const cli = await createCliHome();
  try {
    const started = await cli.run([
      'server',
      'start',
      '--name',
      'front-1',
      '--labels',
      'gpu=true,region=eu',
      '--drain-timeout',
      '5',
    ]);
    expect(started.code, started.stderr).toBe(0);
    const list = JSON.parse((await cli.run(['workers', '--json'])).stdout) as WorkerList;
    expect(list.workers).toEqual([
      expect.objectContaining({ name: 'front-1', labels: { gpu: 'true', region: 'eu' }, capacity: 4, state: 'active' }),
    ]);
    // Recorded for `server stop`, which waits that long whatever its own environment says.
    expect(JSON.parse(readFileSync(join(cli.home, 'server.json'), 'utf8'))).toMatchObject({ drain_timeout_seconds: 5 });
  } finally {
    await cli.dispose();
  }
});

it('server start --no-worker serves the API and runs nothing: health says 0 workers', async () => {
  const cli = await createCliHome();
  try {
    expect((await cli.run(['server', 'start', '--no-worker'])).code).toBe(0);
    const submitted = JSON.parse((await cli.run(['run', '[fake:success] x', '--dir', cli.home, '--json'])).stdout) as Task;
    const status = JSON.parse((await cli.run(['server', 'status', '--json'])).stdout) as { health: Health };
    expect(status.health).toMatchObject({ max_concurrency: 0, pending: 1, running: 0 });
    expect(JSON.parse((await cli.run(['workers', '--json'])).stdout)).toEqual({
      workers: [],
      retention_seconds: 86_400,
      queue_pause: null,
    });
    expect((await cli.run(['status', String(submitted.id), '--json'])).stdout).toContain('"status": "pending"');
  } finally {
    await cli.dispose();
  }
});
