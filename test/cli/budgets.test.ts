import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import type { Task } from '../../src/core/task.js';
import type { UsageReport } from '../../src/core/usage.js';
import { stringify as toYaml } from 'yaml';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

let cli: CliHome;

beforeEach(async () => {
  cli = await createCliHome();
});

afterEach(async () => {
  await cli.dispose();
});

describe('budgets and usage on the command line', () => {
  it('refuses a bad --max-budget or --days as a usage error, before anything starts', async () => {
    for (const value of ['--max-budget=-1', '--max-budget=0', '--max-budget=abc', '--max-budget=1e3', '--max-budget=20000']) {
      const result = await cli.run(['run', 'Summarise ./README.md', value]);
      expect(result.code, value).toBe(2);
      expect(result.stderr).toMatch(/--max-budget/);
    }
    const negative = await cli.run(['run', 'Summarise ./README.md', '--max-budget=-1']);
    expect(negative.stderr).toMatch(/--max-budget must be above 0 \(got -1\)/);
    const words = await cli.run(['run', 'Summarise ./README.md', '--max-budget', 'lots']);
    expect(words.stderr).toMatch(/--max-budget must be a number of US dollars, such as 0\.5 \(got "lots"\)/);
    const days = await cli.run(['usage', '--days', '0']);
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days.*must be an integer from 1 to 366/);
    expect(existsSync(join(cli.home, 'server.json'))).toBe(false);
    expect(existsSync(join(cli.home, 'tasks.db'))).toBe(false);
  });

  it('runs a task with --max-budget, shows the budget, and reports what it cost with usage --json', async () => {
    const project = join(cli.home, 'project');
    await mkdir(project);
    const submitted = await cli.run([
      'run',
      '[fake:success] Write the output file',
      '--dir',
      project,
      '--max-budget',
      '0.25',
      '--watch',
      '--json',
    ]);
    expect(submitted.code).toBe(0);
    const task = JSON.parse(submitted.stdout) as Task;
    expect(task).toMatchObject({ status: 'completed', max_budget_usd: 0.25, cost_usd: 0.0123 });

    const status = await cli.run(['status', String(task.id)]);
    expect(status.stdout).toMatch(/^Budget:\s+\$0\.2500$/m);

    const usage = await cli.run(['usage', '--json']);
    expect(usage.code).toBe(0);
    const report = JSON.parse(usage.stdout) as UsageReport;
    expect(report).toMatchObject({
      days: 7,
      total: { tasks: 1, failures: 0, cost_usd: 0.0123, input_tokens: 100, output_tokens: 20 },
      by_model: [{ model: null, tasks: 1 }],
    });
    expect(report.by_day).toHaveLength(1);

    const text = await cli.run(['usage', '--days', '1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Usage of today \(UTC\): \$0\.0123, 1 tasks$/m);
    expect(text.stdout).toMatch(/^\(default\)\s+1\s+0\s+\$0\.0123\s+100\s+20\s/m);
  });

  it('takes budget_usd and max_budget_usd from an orchestration file, and stops the graph once it is spent', async () => {
    const project = join(cli.home, 'project');
    await mkdir(project);
    const file = join(cli.home, 'capped.yaml');
    // A run of the fake agent reports $0.0123: the first task spends the whole budget.
    await writeFile(
      file,
      toYaml({
        budget_usd: 0.01,
        tasks: [
          { identifier: 'first', execution_prompt: '[fake:success] Write it', working_directory: './project', max_budget_usd: 2 },
          {
            identifier: 'second',
            depends_on: ['first'],
            execution_prompt: '[fake:success] Then this',
            working_directory: './project',
          },
        ],
      }),
    );
    const result = await cli.run(['orchestrate', file, '--wait', '--json']);
    expect(result.code, result.stderr).toBe(1);
    const orchestration = JSON.parse(result.stdout) as OrchestrationDetail;
    expect(orchestration).toMatchObject({ name: 'capped', status: 'failed', budget_usd: 0.01, spent_usd: 0.0123 });
    expect(orchestration.tasks.map((task) => [task.identifier, task.status, task.error_code, task.max_budget_usd])).toEqual([
      ['first', 'completed', null, 2],
      ['second', 'skipped', 'budget_exceeded', null],
    ]);

    const status = await cli.run(['orchestration-status', String(orchestration.id)]);
    expect(status.stdout).toContain('spent $0.0123 of its $0.0100 budget');

    await writeFile(
      join(cli.home, 'bad.yaml'),
      toYaml({ budget_usd: 'lots', tasks: [{ identifier: 'a', execution_prompt: 'x', working_directory: './project' }] }),
    );
    const bad = await cli.run(['orchestrate', join(cli.home, 'bad.yaml')]);
    // Like any other problem in a graph file: exit 2, nothing stored.
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/budget_usd: budget_usd must be a number of US dollars/);
    expect(JSON.parse((await cli.run(['list-orchestrations', '--json'])).stdout).orchestrations).toHaveLength(1);
  });
});
