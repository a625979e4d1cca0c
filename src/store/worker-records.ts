/** The worker registry's rows: as a runner writes its own, and as anyone reads them. */
import type { WorkerProfile, WorkerState } from '../core/worker.js';

/** A runner's registry row as written; `id` is its WorkerIdentity id. */
export interface WorkerRegistration extends WorkerProfile {
  /** Its lease duration: silent for longer than this, it is reported `lost`. */
  leaseMs: number;
  state: Exclude<WorkerState, 'lost'>;
}

/** A registry row as read, with its verdict and its running tasks. Times are epoch milliseconds. */
export interface WorkerRecord extends WorkerProfile {
  /** Tasks it holds leases on. */
  running: number;
  state: WorkerState;
  started_at: number;
  last_heartbeat_at: number;
  /** By the store's clock, so readers on other machines agree. */
  heartbeat_age_ms: number;
}
