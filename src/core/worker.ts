/**
 * The worker registry as every door shows it: each runner process (a
 * `worker` node, or a server that runs tasks) registers itself when it
 * starts, beats with its lease heartbeat and says when it drains and stops.
 */
import type { Labels } from './labels.js';
import type { QueuePause } from './queue-pause.js';

/**
 * `active`: claims tasks. `draining`: shutting down, finishing what it runs
 * and claiming nothing. `stopped`: shut down cleanly. `lost`: silent for
 * longer than its lease (killed, partitioned, or its machine is down); its
 * tasks are run again elsewhere once their leases are reaped. `lost` is a
 * verdict of the reader, never stored.
 */
export const WORKER_STATES = ['active', 'draining', 'stopped', 'lost'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

/**
 * How long a stopped or lost worker stays listed after its last heartbeat.
 * Older rows are deleted when a worker registers, so the registry does not
 * grow with every restart.
 */
export const WORKER_RETENTION_MS = 24 * 3600 * 1000;

/** What a runner process says about itself when it registers. */
export interface WorkerProfile {
  /** Unique per runner process (`host:pid:random`); the `lease_owner` of the tasks it runs. */
  id: string;
  /** `--name`, default the host name; several workers may share one. */
  name: string;
  host: string;
  pid: number;
  labels: Labels;
  /** Tasks it runs at once at most (`--workers`). */
  capacity: number;
}

export interface Worker extends WorkerProfile {
  /** Tasks it holds leases on now. */
  running: number;
  state: WorkerState;
  started_at: string;
  last_heartbeat_at: string;
  /** Seconds since the last heartbeat, by the database's clock (not the reader's). */
  heartbeat_age_seconds: number;
}

export interface WorkerList {
  workers: Worker[];
  /** The pause every worker honours, if any. */
  queue_pause: QueuePause | null;
  /** Stopped and lost workers are listed for this long after their last heartbeat. */
  retention_seconds: number;
}

/** Who claims: enough to tell, after a crash, whether the owner is still alive. */
export interface WorkerIdentity {
  /** Unique per runner process, e.g. `host:pid:random`. */
  id: string;
  host: string;
  /** Kernel boot id: a pid from another boot means nothing. */
  bootId: string;
  pid: number;
  /** Process start time (from /proc), so a recycled pid is not mistaken for the owner. */
  procStartTime: string | null;
}

/** The agent process a runner started for an attempt; its process group is killed as a whole. */
export interface AgentProcessInfo {
  pid: number;
  pgid: number;
  procStartTime: string | null;
}
