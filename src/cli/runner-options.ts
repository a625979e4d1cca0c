/**
 * The options of the commands that run tasks in this process (`worker`,
 * `server start`): defined once, and turned into the config the same way
 * (a flag wins over its environment variable).
 */
import type { Command } from 'commander';
import { loadConfig, type Config, type ConfigOverrides } from '../core/config.js';
import type { Labels } from '../core/labels.js';
import { integerIn, labelList } from './arguments.js';

export interface RunnerFlags {
  db?: string;
  concurrency?: number;
  /** The old name of `concurrency`. */
  workers?: number;
  name?: string;
  labels?: Labels;
  drainTimeout?: number;
}

export function addRunnerOptions(command: Command): Command {
  return command
    .option('--db <spec>', 'SQLite file or postgres:// URL (default: CLAUDE_WORKER_DB, else ~/.claude-worker/tasks.db)')
    .option('--concurrency <n>', 'tasks run at once (default: CLAUDE_WORKER_CONCURRENCY, else 4)', integerIn(1, 1000))
    .option('--workers <n>', 'old name of --concurrency', integerIn(1, 1000))
    .option('--name <node>', 'name among the workers (default: CLAUDE_WORKER_NAME, else the host name)')
    .option('--labels <list>', 'what this node offers, e.g. gpu=true,region=eu (default: CLAUDE_WORKER_LABELS)', labelList)
    .option(
      '--drain-timeout <seconds>',
      'on SIGTERM, let running tasks finish for up to this long before releasing them to the queue (default: CLAUDE_WORKER_DRAIN_TIMEOUT, else 0)',
      integerIn(0, 7 * 24 * 3600),
    );
}

/** The config with the flags given laid over the environment's settings. */
export function configWithRunnerFlags(flags: RunnerFlags, more: ConfigOverrides = {}): Config {
  return loadConfig(process.env, {
    ...more,
    dbPath: flags.db,
    concurrency: flags.concurrency ?? flags.workers,
    workerName: flags.name,
    labels: flags.labels,
    drainTimeoutSeconds: flags.drainTimeout,
  });
}
