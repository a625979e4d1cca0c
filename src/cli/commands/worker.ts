/** `claude-worker worker`: a task runner without an HTTP server (see src/runner/run-worker.ts). */
import type { Command } from 'commander';
import { addRunnerOptions, configWithRunnerFlags, type RunnerFlags } from '../runner-options.js';

export function registerWorkerCommand(program: Command): void {
  addRunnerOptions(
    program
      .command('worker')
      .description('Run tasks from the database without serving HTTP, until SIGTERM or Ctrl-C (a second one exits at once)'),
  ).action(async (options: RunnerFlags) => {
    const config = configWithRunnerFlags(options);
    // Loaded only here: SQLite, pg and the Agent SDK are slow to load.
    const { runWorker } = await import('../../app/run-worker.js');
    await runWorker(config);
  });
}
