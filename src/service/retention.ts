/**
 * Retention: every process that opens the store for work deletes, once an
 * hour, the tasks (and whole orchestrations) that ended longer ago than the
 * configured days, and the log files of this node that old. Several nodes
 * sweeping one PostgreSQL split the work (the deletes skip locked rows).
 */
import type { Config } from '../core/config.js';
import type { TaskLogs } from '../logs/task-logs.js';
import type { RetentionPolicy, TaskStore } from '../store/task-store.js';

const SWEEP_INTERVAL_MS = 3600_000;
const DAY_MS = 24 * 3600_000;
/** "Kept for ever" as an age no task reaches, so the delete statements stay one shape. */
const FOREVER_MS = 100 * 365 * DAY_MS;
/** Rows per delete statement: each holds its locks only briefly. */
const BATCH_SIZE = 500;

export function retentionPolicy(config: Pick<Config, 'retentionDays' | 'failedRetentionDays'>): RetentionPolicy | null {
  if (config.retentionDays === 0 && config.failedRetentionDays === 0) return null;
  const age = (days: number) => (days === 0 ? FOREVER_MS : days * DAY_MS);
  return { finishedMaxAgeMs: age(config.retentionDays), failedMaxAgeMs: age(config.failedRetentionDays) };
}

export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TaskStore,
    private readonly logs: TaskLogs,
    private readonly policy: RetentionPolicy,
    private readonly warn: (message: string) => void,
  ) {}

  /** Sweeps now, then every hour. */
  start(): void {
    this.sweeping = this.sweep();
    this.timer = setInterval(() => (this.sweeping = this.sweep()), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops sweeping; resolves once a sweep under way ended, so the store can close. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass: the store first, then the files of what it deleted (never younger than any task kept). */
  async sweep(): Promise<void> {
    try {
      await this.store.prune(this.policy, BATCH_SIZE);
      await this.logs.removeFilesOlderThan(Math.max(this.policy.finishedMaxAgeMs, this.policy.failedMaxAgeMs));
    } catch (error) {
      this.warn(`retention: could not delete old tasks, will try again in an hour: ${String(error)}`);
    }
  }
}
