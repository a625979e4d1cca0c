/** The worker registry: registration, heartbeats, drain and stop, and the list with running counts. */
import type { Labels } from '../../core/labels.js';
import { WORKER_RETENTION_MS, type WorkerState } from '../../core/worker.js';
import { registrationParams, registryStatements, toWorkerRecord, type WorkerRow } from '../sql/registry.js';
import type { WorkerRecord, WorkerRegistration } from '../worker-records.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const REGISTRY = registryStatements(SQLITE_DIALECT);

export function registerWorker(ctx: SqliteContext, worker: WorkerRegistration): void {
  // Relaxed, like heartbeats: after a power loss the worker is gone too (it registers anew when it
  // starts again), and the fsync it spares is one less before a starting server answers.
  ctx.relaxed(() =>
    ctx.immediate(() => {
      const params = { ...registrationParams(worker), now: ctx.now() };
      ctx.statement(REGISTRY.pruneSilent).run(params);
      ctx.statement(REGISTRY.register).run(params);
    }),
  );
}

export function workerHeartbeat(ctx: SqliteContext, workerId: string): boolean {
  return ctx.statement(REGISTRY.heartbeat).run({ id: workerId, now: ctx.now() }).changes > 0;
}

export function setWorkerState(ctx: SqliteContext, workerId: string, state: Exclude<WorkerState, 'lost'>): boolean {
  return ctx.statement(REGISTRY.setState).run({ id: workerId, state, now: ctx.now() }).changes > 0;
}

export function listWorkers(ctx: SqliteContext): WorkerRecord[] {
  const rows = ctx.statement(REGISTRY.list).all({ now: ctx.now(), retention_ms: WORKER_RETENTION_MS }) as (Omit<
    WorkerRow,
    'labels'
  > & {
    labels: string;
  })[];
  return rows.map((row) => toWorkerRecord({ ...row, labels: JSON.parse(row.labels) as Labels }));
}
