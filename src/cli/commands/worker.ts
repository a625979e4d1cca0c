/** `claude-worker worker`: a task runner without an HTTP server (see src/runner/run-worker.ts). */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { integerIn } from '../arguments.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run tasks from the database without serving HTTP, until SIGTERM or Ctrl-C')
    .option('--db <spec>', 'SQLite file or postgres:// URL (default: CLAUDE_WORKER_DB, else ~/.claude-worker/tasks.db)')
    .option('--workers <n>', 'tasks run at once (default: CLAUDE_WORKER_MAX_WORKERS, else 4)', integerIn(1, 1000))
    .action(async (options: { db?: string; workers?: number }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.db ? { CLAUDE_WORKER_DB: options.db } : {}),
        ...(options.workers ? { CLAUDE_WORKER_MAX_WORKERS: String(options.workers) } : {}),
      });
      // Loaded only here: SQLite, pg and the Agent SDK are slow to load.
      const { runWorker } = await import('../../runner/run-worker.js');
      await runWorker(config);
    });
}
