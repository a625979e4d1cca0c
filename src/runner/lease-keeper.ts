/**
 * Renews the leases of every running task in one store call per beat, and
 * acts on the answer: a lease that is gone stops its agent (another runner
 * owns the task now), a cancel request stops its agent. When the store cannot
 * be reached for most of a lease period, the runner stops its own agents
 * before anyone else can claim their tasks (self-fencing), so a task never
 * runs twice at once. The same beat renews the runner's registration, and
 * every beat tells the store contact whether the store answered.
 */
import type { Config } from '../core/config.js';
import type { TaskStore } from '../store/task-store.js';
import type { StoreContact } from './store-contact.js';
import type { TaskExecution } from './task-execution.js';
import type { WorkerPresence } from './worker-presence.js';

/** Fraction of the lease after which a runner that could not renew stops its agents. */
const SELF_FENCE_FRACTION = 0.75;

export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private lastRenewedAt = Date.now();
  private beating = false;

  constructor(
    private readonly store: TaskStore,
    private readonly config: Pick<Config, 'leaseMs' | 'heartbeatMs'>,
    private readonly executions: () => Iterable<TaskExecution>,
    private readonly presence: Pick<WorkerPresence, 'beat'>,
    private readonly contact: StoreContact,
    private readonly warn: (message: string) => void,
  ) {}

  start(): void {
    this.lastRenewedAt = Date.now();
    this.timer = setInterval(() => void this.beat(), this.config.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (this.beating) return; // a slow store must not stack beats
    this.beating = true;
    // Results come back in lease order; matched by position because one task id may
    // belong to a stale execution and a fresh one at the same time.
    const running = [...this.executions()];
    try {
      if (running.length > 0) {
        const results = await this.store.heartbeat(
          running.map((e) => e.lease),
          this.config.leaseMs,
        );
        results.forEach((result, i) => {
          if (!result.owned) running[i]!.stop('lease_lost');
          else if (result.cancelRequested) running[i]!.stop('cancel');
        });
        this.contact.answered();
      }
      this.lastRenewedAt = Date.now();
    } catch (error) {
      this.contact.failed();
      const silentMs = Date.now() - this.lastRenewedAt;
      this.warn(`heartbeat failed (${silentMs} ms since the last renewal): ${String(error)}`);
      const unfenced = running.filter((execution) => !execution.stopping);
      if (silentMs >= this.config.leaseMs * SELF_FENCE_FRACTION && unfenced.length > 0) {
        this.warn(
          `stopping ${unfenced.length} agent(s): their leases may run out before the store answers, and their tasks go to another worker`,
        );
        for (const execution of unfenced) execution.stop('lease_lost');
      }
    }
    try {
      if (await this.presence.beat()) this.contact.answered();
      else this.contact.failed();
    } finally {
      this.beating = false;
    }
  }
}
