/**
 * The options of the commands that run tasks in this process (`worker`,
 * `server start`): defined once, and turned into the config the same way
 * (a flag wins over its environment variable).
 */
import type { Command } from 'commander';
import { loadConfig, type Config } from '../core/config.js';
import { formatLabels, type Labels } from '../core/labels.js';
import { integerIn, labelList } from './arguments.js';

export interface RunnerFlags {
  db?: string;
  workers?: number;
  name?: string;
  labels?: Labels;
  drainTimeout?: number;
}

export function addRunnerOptions(command: Command): Command {
  return command
    .option('--db <spec>', 'SQLite file or postgres:// URL (default: CLAUDE_WORKER_DB, else ~/.claude-worker/tasks.db)')
    .option('--workers <n>', 'tasks run at once (default: CLAUDE_WORKER_MAX_WORKERS, else 4)', integerIn(1, 1000))
    .option('--name <node>', 'name among the workers (default: CLAUDE_WORKER_NAME, else the host name)')
    .option('--labels <list>', 'what this node offers, e.g. gpu=true,region=eu (default: CLAUDE_WORKER_LABELS)', labelList)
    .option(
      '--drain-timeout <seconds>',
      'on SIGTERM, let running tasks finish for up to this long before releasing them to the queue (default: CLAUDE_WORKER_DRAIN_TIMEOUT, else 0)',
      integerIn(0, 7 * 24 * 3600),
    );
}

export function configWithRunnerFlags(flags: RunnerFlags): Config {
  const overrides: Record<string, string> = {};
  if (flags.db !== undefined) overrides.CLAUDE_WORKER_DB = flags.db;
  if (flags.workers !== undefined) overrides.CLAUDE_WORKER_MAX_WORKERS = String(flags.workers);
  if (flags.name !== undefined) overrides.CLAUDE_WORKER_NAME = flags.name;
  if (flags.labels !== undefined) overrides.CLAUDE_WORKER_LABELS = formatLabels(flags.labels);
  if (flags.drainTimeout !== undefined) overrides.CLAUDE_WORKER_DRAIN_TIMEOUT = String(flags.drainTimeout);
  return loadConfig({ ...process.env, ...overrides });
}
