/** The worker registry's statements for either database, and the mapping of their rows. */
import { sortedLabels } from '../../core/labels.js';
import { WORKER_RETENTION_MS, type WorkerProfile, type WorkerState } from '../../core/worker.js';
import type { Dialect } from '../dialect.js';
import type { WorkerRecord, WorkerRegistration } from '../worker-records.js';

/**
 * The registry's statements. Running counts come from the leases each
 * worker holds: the tasks table is the truth, so a count cannot drift.
 */
export function registryStatements(d: Dialect) {
  return {
    // started_at stays that of the first registration of the process.
    register: `
      INSERT INTO workers (id, name, host, pid, labels, capacity, lease_ms, state, started_at, last_heartbeat_at)
      VALUES (@id, @name, @host, @pid, ${d.json('@labels')}, @capacity, @lease_ms, @state, ${d.now}, ${d.now})
      ON CONFLICT (id) DO UPDATE
         SET name = excluded.name, labels = excluded.labels, capacity = excluded.capacity,
             lease_ms = excluded.lease_ms, state = excluded.state, last_heartbeat_at = excluded.last_heartbeat_at`,
    pruneSilent: `DELETE FROM workers WHERE last_heartbeat_at < ${d.msAgo('@retention_ms')}`,
    heartbeat: `UPDATE workers SET last_heartbeat_at = ${d.now} WHERE id = @id`,
    setState: `UPDATE workers SET state = @state, last_heartbeat_at = ${d.now} WHERE id = @id`,
    list: `
      SELECT w.id, w.name, w.host, w.pid, w.labels, w.capacity, w.lease_ms, w.state,
             ${d.epochMs('w.started_at')} AS started_at, ${d.epochMs('w.last_heartbeat_at')} AS last_heartbeat_at,
             ${d.epochMs(d.now)} AS now, COALESCE(r.running, 0) AS running
        FROM workers w
        LEFT JOIN (SELECT lease_owner, count(*) AS running FROM tasks WHERE status = 'running' GROUP BY lease_owner) r
          ON r.lease_owner = w.id
       WHERE w.last_heartbeat_at >= ${d.msAgo('@retention_ms')}
       ORDER BY w.name, w.started_at, w.id`,
  };
}

export function registrationParams(worker: WorkerRegistration) {
  return {
    id: worker.id,
    name: worker.name,
    host: worker.host,
    pid: worker.pid,
    labels: JSON.stringify(sortedLabels(worker.labels)),
    capacity: worker.capacity,
    lease_ms: worker.leaseMs,
    state: worker.state,
    retention_ms: WORKER_RETENTION_MS,
  };
}

/** A row of the registry's `list` statement, labels decoded. */
export interface WorkerRow extends WorkerProfile {
  lease_ms: number;
  state: Exclude<WorkerState, 'lost'>;
  started_at: number;
  last_heartbeat_at: number;
  /** The store's now, read in the same statement. */
  now: number;
  running: number;
}

/**
 * A worker silent for longer than its own lease is `lost`: by then its
 * leases have expired too, and its tasks go to other workers. A stopped
 * worker said goodbye, so its silence is expected.
 */
export function toWorkerRecord(row: WorkerRow): WorkerRecord {
  const { lease_ms: leaseMs, now, running, state, ...fields } = row;
  const age = Math.max(0, now - row.last_heartbeat_at);
  const lost = state !== 'stopped' && age > leaseMs;
  return { ...fields, running: Number(running), state: lost ? 'lost' : state, heartbeat_age_ms: age };
}
