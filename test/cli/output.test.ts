/**
 * What the CLI prints for people, as a user runs it: warnings a mistake
 * deserves, tables that tell rows apart, pages that say there are more.
 * The built CLI, a one-worker daemon, the fake Claude Code.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import { taskSchema } from '../../src/core/schemas.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';

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

describe('list', () => {
  it('says when there are more tasks than the page shows, and --cursor reads the next page', async () => {
    for (const n of [1, 2, 3]) expect((await cli.run(['run', `[fake:success] Task ${n}`, '--dir', cli.project])).code).toBe(0);
    const all = JSON.parse((await cli.run(['list', '--json', '--limit', '100'])).stdout) as { tasks: { id: number }[] };
    const ids = all.tasks.map((task) => task.id);

    const first = await cli.run(['list', '--limit', '2']);
    expect(first.code, first.stderr).toBe(0);
    const [, cursor] = /^More tasks: claude-worker list --limit 2 --cursor (\d+)$/m.exec(first.stdout) ?? [];
    expect(cursor, first.stdout).toBeDefined();
    const second = await cli.run(['list', '--limit', '2', '--cursor', cursor!, '--json']);
    expect((JSON.parse(second.stdout) as { tasks: { id: number }[] }).tasks.map((task) => task.id)).toEqual(ids.slice(2, 4));

    const last = await cli.run(['list', '--limit', '100']);
    expect(last.stdout).not.toMatch(/More tasks/);
  });
});

describe('orchestrate --wait', () => {
  it('names the orchestration at the start and in its outcome only, prints the outcome once, and points to status ID for a failed task', async () => {
    const file = join(cli.home, 'fails.json');
    const task = (identifier: string, prompt: string, after: string[] = []) => ({
      identifier,
      depends_on: after,
      execution_prompt: prompt,
      working_directory: cli.project,
    });
    const graph = {
      name: 'fails in the middle',
      tasks: [task('root', 'Work'), task('mid', '[fake:error] Break', ['root']), task('last', 'Work', ['mid'])],
    };
    await writeFile(file, JSON.stringify(graph));
    const result = await cli.run(['orchestrate', file, '--wait']);
    expect(result.code).toBe(1);
    const { stdout } = result;
    // The name heads the progress and the outcome, and no line in between.
    expect(stdout.split('\n').filter((line) => line.includes('fails in the middle'))).toEqual([
      expect.stringMatching(/^Orchestration \d+ "fails in the middle": 3 tasks$/),
      expect.stringMatching(/^Orchestration \d+ "fails in the middle" failed: 1 completed, 1 failed, 1 skipped$/),
    ]);
    const orchestration = JSON.parse((await cli.run(['list-orchestrations', '--json', '--limit', '1'])).stdout)
      .orchestrations[0] as OrchestrationDetail;
    const detail = JSON.parse(
      (await cli.run(['orchestration-status', String(orchestration.id), '--json'])).stdout,
    ) as OrchestrationDetail;
    const mid = detail.tasks.find((t) => t.identifier === 'mid')!;
    // The whole error, not the table's cut of it, and where to read more.
    expect(stdout).toContain(mid.error_message!);
    expect(stdout).toContain(`claude-worker status ${mid.id}`);
  });
});
