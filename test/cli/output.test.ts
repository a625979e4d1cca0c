/**
 * What the CLI prints for people, as a user runs it: warnings a mistake
 * deserves, tables that tell rows apart, pages that say there are more.
 * The built CLI, a one-worker daemon, the fake Claude Code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '../../src/core/schemas.js';
import { createDaemonHome, type DaemonHome } from './cli-harness.js';

let cli: DaemonHome;
beforeAll(async () => (cli = await createDaemonHome(1)));
afterAll(() => cli?.dispose());

describe('run', () => {
  it('warns on stderr when no active worker offers the labels a task requires, and still submits it', async () => {
    const result = await cli.run(['run', 'Train the model', '--dir', cli.project, '--require-labels', 'gpu=true', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const task = taskSchema.parse(JSON.parse(result.stdout));
    expect(task.status).toBe('pending');
    expect(result.stderr).toContain(
      `warning: no active worker has the labels gpu=true: task ${task.id} waits until one starts (see: claude-worker workers)`,
    );
    expect((await cli.run(['cancel', String(task.id)])).code).toBe(0);
  });

  it('does not warn when the task requires no labels', async () => {
    const result = await cli.run(['run', '[fake:success] Write it', '--dir', cli.project]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('warning');
  });
});
