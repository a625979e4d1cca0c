/**
 * `cancel` with several ids and `cancel-orchestration`, as a user runs them:
 * the built CLI, a daemon, and the fake Claude Code executable.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import { taskSchema } from '../../src/core/schemas.js';
import type { Task } from '../../src/core/task.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';

let cli: DaemonHome;
beforeAll(async () => (cli = await createDaemonHome(1)));
afterAll(() => cli?.dispose());

async function submit(prompt: string): Promise<number> {
  const result = await cli.run(['run', prompt, '--dir', cli.project, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return taskSchema.parse(JSON.parse(result.stdout)).id;
}

/** The statuses the tasks end in (`wait` returns as soon as they have ended). */
async function endedStatuses(...ids: number[]): Promise<Task['status'][]> {
  const result = await cli.run(['wait', ...ids.map(String), '--json']);
  return (JSON.parse(result.stdout) as Task[]).map((task) => task.status);
}

describe('cancel', () => {
  it('cancels every task given, one line each', async () => {
    // One worker: the second task stays pending behind the first.
    const first = await submit('[fake:hang] Think for ever');
    const second = await submit('[fake:hang] Think for ever too');
    const result = await cli.run(['cancel', String(first), String(second)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Task ${first} (cancelled|is being stopped)`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^Task ${second} (cancelled|is being stopped)`, 'm'));
    expect(await endedStatuses(first, second)).toEqual(['cancelled', 'cancelled']);
  });

  it('goes on past an unknown id, says which, exits 1, and prints a JSON array for several ids', async () => {
    const pending = await submit('[fake:hang] Wait your turn');
    const result = await cli.run(['cancel', '999999', String(pending), '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Task 999999 not found/);
    const tasks = JSON.parse(result.stdout) as Task[];
    expect(tasks.map((task) => task.id)).toEqual([pending]);
    expect(await endedStatuses(pending)).toEqual(['cancelled']);
  });
});

describe('cancel-orchestration', () => {
  it('skips the waiting tasks and stops the running one', async () => {
    const file = join(cli.home, 'graph.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'to cancel',
        tasks: [
          { identifier: 'first', execution_prompt: '[fake:hang] Think for ever', working_directory: cli.project },
          { identifier: 'second', depends_on: ['first'], execution_prompt: 'Then this', working_directory: cli.project },
        ],
      }),
    );
    const submitted = await cli.run(['orchestrate', file, '--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { id } = JSON.parse(submitted.stdout) as OrchestrationDetail;

    const cancelled = await cli.run(['cancel-orchestration', String(id)]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^Orchestration ${id} "to cancel" (cancelled|running)`));
    const watched = await cli.run(['orchestration-status', String(id), '--watch', '--json']);
    const final = JSON.parse(watched.stdout) as OrchestrationDetail;
    expect(final.status).toBe('cancelled');
    expect(Object.fromEntries(final.tasks.map((task) => [task.identifier, task.status]))).toEqual({
      first: 'cancelled',
      second: 'skipped',
    });
  });

  it('fails clearly for an unknown orchestration', async () => {
    const result = await cli.run(['cancel-orchestration', '999999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Orchestration 999999 not found/);
  });
});
