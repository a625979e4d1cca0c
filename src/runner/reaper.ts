/**
 * The reaper: on a timer, hands back the tasks of runners that stopped
 * renewing their leases (queued again after a delay, so a task that kills
 * its runner cannot spin).
 *
 * A lease that ran out while the store was out of reach says nothing about
 * its runner: nobody could renew one then. A runner that is alive renews on
 * its next beat after the store is back, or writes the outcome of a run that
 * finished meanwhile; reaping its tasks first would throw that run away and
 * run the task again. So once this runner's contact with the store was
 * broken, the reaper takes nothing until the store has answered for a full
 * lease without a break: every live runner has had several beats by then.
 */
import type { Config } from '../core/config.js';
import type { TaskStore } from '../store/task-store.js';
import type { StoreContact } from './store-contact.js';

/** Delay before a task whose runner died is offered again. */
const LOST_TASK_RETRY_DELAY_MS = 10_000;

export class Reaper {
  private timer: NodeJS.Timeout | null = null;
  private deferring = false;

  constructor(
    private readonly store: Pick<TaskStore, 'reapExpired'>,
    private readonly config: Pick<Config, 'leaseMs' | 'reapIntervalMs'>,
    private readonly contact: StoreContact,
    private readonly warn: (message: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.config.reapIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.contact.unbrokenForMs() < this.config.leaseMs) {
      if (!this.deferring)
        this.warn('the store was out of reach: expired leases are left to their runners for one lease before any is reaped');
      this.deferring = true;
      return;
    }
    this.deferring = false;
    try {
      const reaped = await this.store.reapExpired(LOST_TASK_RETRY_DELAY_MS);
      this.contact.answered();
      if (reaped.length > 0) this.warn(`recovered task(s) ${reaped.join(', ')} whose runner stopped renewing its lease`);
    } catch (error) {
      this.contact.failed();
      this.warn(`reaper failed: ${String(error)}`);
    }
  }
}
