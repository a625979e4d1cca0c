/**
 * This runner's row in the worker registry: registered when it starts, kept
 * fresh by the lease keeper's beat (one write per beat), `draining` and then
 * `stopped` on a graceful shutdown. After the first registration, registry
 * writes never stop the runner: a failed one is reported and the next beat
 * tries again.
 */
import type { TaskStore } from '../store/task-store.js';
import type { WorkerRegistration } from '../store/worker-records.js';

export class WorkerPresence {
  private state: WorkerRegistration['state'] = 'active';

  constructor(
    private readonly store: TaskStore,
    private readonly registration: Omit<WorkerRegistration, 'state'>,
    private readonly warn: (message: string) => void,
  ) {}

  /** Throws when the store cannot be written: a runner that cannot register should not start. */
  async register(): Promise<void> {
    await this.store.registerWorker({ ...this.registration, state: this.state });
  }

  /** Returns whether the store answered. */
  async beat(): Promise<boolean> {
    try {
      // The row is gone when this runner was silent long enough to be pruned (a long partition).
      if (!(await this.store.workerHeartbeat(this.registration.id))) await this.register();
      return true;
    } catch (error) {
      this.warn(`could not renew this worker's registration: ${String(error)}`);
      return false;
    }
  }

  async moveTo(state: 'draining' | 'stopped'): Promise<void> {
    this.state = state;
    try {
      if (!(await this.store.setWorkerState(this.registration.id, state))) await this.register();
    } catch (error) {
      this.warn(`could not record this worker as ${state}: ${String(error)}`);
    }
  }
}
