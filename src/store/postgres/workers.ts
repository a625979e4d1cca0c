/** The worker registry: registration, heartbeats, drain and stop, and the list with running counts. */
import { WORKER_RETENTION_MS, type WorkerState } from '../../core/worker.js';
import { registrationParams, registryStatements, toWorkerRecord, type WorkerRow } from '../sql/registry.js';
import type { WorkerRecord, WorkerRegistration } from '../worker-records.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const REGISTRY = registryStatements(POSTGRES_DIALECT);

export async function registerWorker(ctx: PostgresContext, worker: WorkerRegistration): Promise<void> {
  const params = registrationParams(worker);
  await ctx.transaction(async (tx) => {
    await tx.run(REGISTRY.pruneSilent, params);
    await tx.run(REGISTRY.register, params);
  });
}

export async function workerHeartbeat(ctx: PostgresContext, workerId: string): Promise<boolean> {
  return (await ctx.run(REGISTRY.heartbeat, { id: workerId })) > 0;
}

export async function setWorkerState(
  ctx: PostgresContext,
  workerId: string,
  state: Exclude<WorkerState, 'lost'>,
): Promise<boolean> {
  return (await ctx.run(REGISTRY.setState, { id: workerId, state })) > 0;
}

export async function listWorkers(ctx: PostgresContext): Promise<WorkerRecord[]> {
  const rows = await ctx.rows<WorkerRow>(REGISTRY.list, { retention_ms: WORKER_RETENTION_MS });
  return rows.map(toWorkerRecord);
}
