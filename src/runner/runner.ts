/**
 * Placeholder for the runner's public surface (implementation in progress).
 */
import type { Agent } from '../agents/agent.js';
import type { Config } from '../core/config.js';
import type { TaskLogs } from '../logs/task-logs.js';
import type { TaskStore } from '../store/task-store.js';

export interface RunnerOptions {
  store: TaskStore;
  agent: Agent;
  logs: TaskLogs;
  config: Pick<Config, 'maxWorkers' | 'leaseMs' | 'heartbeatMs' | 'reapIntervalMs'>;
  /** Environment passed to every agent process; default: this process's. */
  env?: Readonly<Record<string, string | undefined>>;
}

export class Runner {
  constructor(readonly options: RunnerOptions) {}

  /** Recovers this host's orphaned tasks, then claims and runs tasks until shutdown. */
  async start(): Promise<void> {
    throw new Error('not implemented yet');
  }

  /**
   * Stops claiming; lets running tasks finish for up to `graceMs`, then stops
   * their agents and releases them without counting the attempt.
   */
  async shutdown(_options: { graceMs?: number } = {}): Promise<void> {
    throw new Error('not implemented yet');
  }

  get runningCount(): number {
    return 0;
  }
}
