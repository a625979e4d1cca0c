/**
 * The runner claims tasks from the store (those whose required labels it
 * has) and runs at most `concurrency` of them at once, each through the agent
 * in its own process group. It keeps their leases and its registration
 * alive, stops them on cancel, timeout or lost lease, reaps tasks of runners
 * that died, and on start recovers tasks this host's dead runners left
 * behind. Claims honour the queue pause (a usage limit, the daily budget)
 * that any runner on the database may set.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from '../agents/agent.js';
import { DEFAULT_LIMIT_BACKOFF_MS, DEFAULT_RETRY_BACKOFF_MS, type Config } from '../core/config.js';
import { bootId, hostName, processStartTime } from '../host/identity.js';
import { OrphanGuard } from '../host/orphan-guard.js';
import type { TaskLogs } from '../logs/task-logs.js';
import type { TaskStore, WorkerIdentity } from '../store/task-store.js';
import { DailyBudget } from './daily-budget.js';
import { LeaseKeeper } from './lease-keeper.js';
import { Reaper } from './reaper.js';
import { recoverHostOrphans } from './recovery.js';
import { StoreContact } from './store-contact.js';
import { TaskExecution } from './task-execution.js';
import { WorkerPresence } from './worker-presence.js';

/** How long an idle runner waits before looking for work other processes added (their wake-ups do not reach us). */
const IDLE_POLL_MS = 500;

export interface RunnerOptions {
  store: TaskStore;
  agent: Agent;
  logs: TaskLogs;
  config: Pick<Config, 'concurrency' | 'leaseMs' | 'heartbeatMs' | 'reapIntervalMs' | 'labels' | 'workerName' | 'worktreesDir'> &
    // Absent: the defaults of loadConfig, and no daily cap.
    Partial<Pick<Config, 'retryBackoffMs' | 'limitBackoffMs' | 'dailyBudgetUsd'>>;
  /** Environment passed to every agent process; default: this process's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the runner reports problems it cannot hand to anyone (default: stderr). */
  warn?: (message: string) => void;
}

export class Runner {
  readonly worker: WorkerIdentity;
  // A set, not a map by task id: after losing a lease, a runner may claim the same task
  // again while its stale execution is still stopping.
  private readonly executions = new Set<TaskExecution>();
  private readonly stopClaiming = new AbortController();
  private readonly leaseKeeper: LeaseKeeper;
  private readonly presence: WorkerPresence;
  private readonly contact: StoreContact;
  private readonly reaper: Reaper;
  private readonly budget: DailyBudget;
  private orphanGuard: OrphanGuard | null = null;
  private slotFreed: (() => void) | null = null;
  private claimLoop: Promise<void> | null = null;
  private unsubscribeCancel: (() => void) | null = null;

  constructor(private readonly options: RunnerOptions) {
    this.worker = {
      id: `${hostName()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      host: hostName(),
      bootId: bootId(),
      pid: process.pid,
      procStartTime: processStartTime(process.pid),
    };
    const { store, config } = options;
    this.presence = new WorkerPresence(
      store,
      {
        id: this.worker.id,
        name: config.workerName,
        host: this.worker.host,
        pid: this.worker.pid,
        labels: config.labels,
        capacity: config.concurrency,
        leaseMs: config.leaseMs,
      },
      this.warn,
    );
    // Beats come every heartbeat interval: two without an answer mean the store was out of reach.
    this.contact = new StoreContact(2 * config.heartbeatMs);
    this.leaseKeeper = new LeaseKeeper(store, config, () => this.executions, this.presence, this.contact, this.warn);
    this.reaper = new Reaper(store, config, this.contact, this.warn);
    this.budget = new DailyBudget(store, config.dailyBudgetUsd ?? null);
  }

  get runningCount(): number {
    return this.executions.size;
  }

  /** Recovers this host's orphaned tasks, registers, then claims and runs tasks until shutdown. */
  async start(): Promise<void> {
    const { store } = this.options;
    // The watchdog is a Node.js process of its own: it starts while recovery
    // runs, not after it, which took a Node.js start off the server's start.
    const guardStarting = OrphanGuard.start(this.warn);
    // Its failure is thrown below, where it is awaited.
    guardStarting.catch(() => {});
    try {
      await recoverHostOrphans(store, this.worker, this.warn);
    } catch (error) {
      (await guardStarting.catch(() => null))?.close();
      throw error;
    }
    this.orphanGuard = await guardStarting;
    await this.presence.register();
    this.contact.answered();
    this.unsubscribeCancel = store.onCancelRequested((taskId) => {
      for (const execution of this.executions) if (execution.taskId === taskId) execution.stop('cancel');
    });
    this.leaseKeeper.start();
    this.reaper.start();
    this.claimLoop = this.claimUntilStopped();
  }

  /**
   * Stops claiming and says so in the registry (`draining`); lets running
   * tasks finish for up to `graceMs` (default 0), then stops their agents and
   * releases them without counting the attempt; then `stopped`.
   */
  async shutdown(options: { graceMs?: number } = {}): Promise<void> {
    this.stopClaiming.abort();
    this.slotFreed?.();
    await this.claimLoop;
    await this.presence.moveTo('draining');
    const graceMs = options.graceMs ?? 0;
    if (graceMs > 0 && this.executions.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all([...this.executions.values()].map((e) => e.done)), graceOver]);
      clearTimeout(timer);
    }
    for (const execution of this.executions.values()) execution.stop('shutdown');
    await Promise.all([...this.executions.values()].map((e) => e.done));
    await this.options.agent.close?.();
    this.leaseKeeper.stop();
    this.reaper.stop();
    this.unsubscribeCancel?.();
    this.orphanGuard?.close();
    await this.presence.moveTo('stopped');
  }

  private async claimUntilStopped(): Promise<void> {
    const { store, config } = this.options;
    const stopped = this.stopClaiming.signal;
    while (!stopped.aborted) {
      if (this.executions.size >= config.concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = null;
        continue;
      }
      try {
        await this.budget.check();
        const free = config.concurrency - this.executions.size;
        const claimed = await store.claimMany(this.worker, config.leaseMs, free, config.labels);
        for (const task of claimed) this.launch(task);
        if (claimed.length === 0) await store.waitForWork(stopped, IDLE_POLL_MS);
      } catch (error) {
        this.warn(`could not claim a task: ${String(error)}`);
        await store.waitForWork(stopped, IDLE_POLL_MS);
      }
    }
  }

  private launch(claimed: ConstructorParameters<typeof TaskExecution>[1]): void {
    const { store, agent, logs, env = process.env } = this.options;
    const execution = new TaskExecution(
      {
        store,
        agent,
        logs,
        env,
        workerId: this.worker.id,
        orphanGuard: this.orphanGuard!,
        worktreesDir: this.options.config.worktreesDir,
        backoffs: {
          retryBaseMs: this.options.config.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS,
          limitBaseMs: this.options.config.limitBackoffMs ?? DEFAULT_LIMIT_BACKOFF_MS,
        },
      },
      claimed,
    );
    this.executions.add(execution);
    execution.done
      .catch((error) => this.warn(`could not record the outcome of task ${execution.taskId}: ${String(error)}`))
      .finally(() => {
        this.budget.spent();
        this.executions.delete(execution);
        this.slotFreed?.();
      });
  }

  private readonly warn = (message: string): void => {
    (this.options.warn ?? defaultWarn)(message);
  };
}

function defaultWarn(message: string): void {
  process.stderr.write(`claude-worker runner: ${message}\n`);
}
