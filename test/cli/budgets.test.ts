import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import type { UsageReport } from '../../src/core/usage.js';
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
});
