/**
 * The TaskStore on a PostgreSQL database shared by any number of nodes. The
 * statement modules next to this one do the work, each with one statement
 * or one short transaction on a pooled connection; this class wires them to
 * the interface and announces changes: in-process at once (the same signals
 * as the SQLite store), and to other processes through NOTIFY.
 */
import { randomUUID } from 'node:crypto';
import type { Labels } from '../../core/labels.js';
import type { RunStats, TaskStatus } from '../../core/task.js';
import { StoreSignals } from '../sqlite/signals.js';
import type { AgentProcessInfo, CancelOutcome, ClaimedTask, CompletedResult, EnqueueResult, EnqueueSpec, FailureRecord, HeartbeatResult, Lease, ListFilter, LogLine, LogRange, TaskLogLine, RetentionPolicy, RunningAttempt, TaskProgress, TaskRecord, TaskStore, WorkerIdentity } from '../task-store.js';
import type { WorkerRecord, WorkerRegistration } from '../worker-records.js';
import type { DependencyResult, OrchestrationGraph, OrchestrationRecord, OrchestrationSpec, SubmitOrchestrationResult } from '../orchestration-records.js';
import { abandon } from './abandon.js';
import { requestCancel } from './cancel.js';
import { cancelOrchestration } from './cancel-orchestration.js';
import { claimMany } from './claim.js';
import { enqueue } from './enqueue.js';
import { heartbeat } from './heartbeat.js';
import { NotificationListener } from './listener.js';
import { migrate } from './migrations.js';
import { createPool, PostgresContext } from './pool.js';
import { appendLog, readLog } from './log-lines.js';
import { recordProgress, recordSpawn } from './progress.js';
import { prune } from './prune.js';
import { countByStatus, getTask, listTasks, runningAttemptsOnHost } from './read.js';
import { dependencyResults, getOrchestration, listOrchestrations } from './read-orchestration.js';
import { reapExpired } from './reap.js';
import { toTaskRecord } from './row.js';
import { complete, fail, markCancelled, release } from './settle.js';
import { submitOrchestration } from './submit-orchestration.js';
import { listWorkers, registerWorker, setWorkerState, workerHeartbeat } from './workers.js';

export interface PostgresStoreOptions {
  /** Pooled connections at most; default 10. The listener uses one more. */
  poolSize?: number;
  /**
   * Told about connection trouble the store rides out by itself (a dropped
   * listener, a broken idle connection); default: a line on stderr.
   */
  warn?: (message: string) => void;
}

/**
 * While the listener is down, hints from other processes are missed: waits
 * for work are cut to this, so their tasks are still picked up within a
 * second.
 */
const POLL_WITHOUT_LISTENER_MS = 1000;

/**
 * Connects to `url` (`postgres://` or `postgresql://`), applies the
 * migrations the database has not run yet and starts listening for other
 * processes' hints.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresTaskStore> {
  const warn = options.warn ?? defaultWarn;
  const pool = createPool(url, { size: options.poolSize ?? 10, warn });
  const ctx = new PostgresContext(pool, randomUUID());
  try {
    await migrate(ctx);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const signals = new StoreSignals();
  const listener = new NotificationListener({
    url,
    origin: ctx.origin,
    onHint: (hint) => (hint.kind === 'work' ? signals.workAvailable() : signals.cancelRequested(hint.taskId)),
    onReconnect: () => signals.workAvailable(),
    warn,
  });
  await listener.start();
  return new PostgresTaskStore(ctx, signals, listener);
}

export class PostgresTaskStore implements TaskStore {
  /** `ctx` must be migrated and `listener` started; `openPostgresStore` does both. */
  constructor(
    private readonly ctx: PostgresContext,
    private readonly signals: StoreSignals,
    private readonly listener: NotificationListener,
  ) {}

  /** The server process of the connection that listens for hints; null while it is down (and reconnecting). */
  get listenerProcessId(): number | null {
    return this.listener.processId;
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    const { row, deduplicated } = await enqueue(this.ctx, spec);
    if (!deduplicated) this.announce(row.id, 'pending');
    return { task: toTaskRecord(row), deduplicated };
  }

  async claim(worker: WorkerIdentity, leaseMs: number, labels: Labels = {}): Promise<ClaimedTask | null> {
    return (await this.claimMany(worker, leaseMs, 1, labels))[0] ?? null;
  }

  async claimMany(worker: WorkerIdentity, leaseMs: number, limit: number, labels: Labels = {}): Promise<ClaimedTask[]> {
    const claimed = await claimMany(this.ctx, worker, leaseMs, limit, labels);
    for (const { task } of claimed) this.announce(task.id, 'running');
    return claimed;
  }

  async recordSpawn(lease: Lease, agent: AgentProcessInfo): Promise<boolean> {
    return recordSpawn(this.ctx, lease, agent);
  }

  async recordProgress(lease: Lease, progress: TaskProgress): Promise<boolean> {
    const owned = await recordProgress(this.ctx, lease, progress);
    if (owned) this.signals.taskChanged(lease.taskId);
    return owned;
  }

  async appendLog(lines: readonly TaskLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await appendLog(this.ctx, lines);
    // Followers of the logs wake up as they do for any change of their task.
    for (const taskId of new Set(lines.map((line) => line.taskId))) this.signals.taskChanged(taskId);
  }

  async heartbeat(leases: readonly Lease[], leaseMs: number): Promise<HeartbeatResult[]> {
    return heartbeat(this.ctx, leases, leaseMs);
  }

  async complete(lease: Lease, result: CompletedResult): Promise<boolean> {
    return this.announce(lease.taskId, await complete(this.ctx, lease, result));
  }

  async fail(lease: Lease, failure: FailureRecord, retryDelayMs: number | null): Promise<boolean> {
    return this.announce(lease.taskId, await fail(this.ctx, lease, failure, retryDelayMs));
  }

  async release(lease: Lease): Promise<boolean> {
    return this.announce(lease.taskId, await release(this.ctx, lease));
  }

  async markCancelled(lease: Lease, stats?: Partial<RunStats>): Promise<boolean> {
    return this.announce(lease.taskId, await markCancelled(this.ctx, lease, stats));
  }

  async requestCancel(taskId: number): Promise<{ task: TaskRecord; outcome: CancelOutcome } | null> {
    const result = await requestCancel(this.ctx, taskId);
    this.announceMoved();
    if (!result) return null;
    if (result.outcome !== 'already_ended') this.signals.taskChanged(taskId);
    if (result.outcome === 'cancel_requested') this.signals.cancelRequested(taskId);
    return { task: toTaskRecord(result.row), outcome: result.outcome };
  }

  async submitOrchestration(spec: OrchestrationSpec): Promise<SubmitOrchestrationResult> {
    const { id, deduplicated } = await submitOrchestration(this.ctx, spec);
    const graph = (await getOrchestration(this.ctx, id))!;
    if (!deduplicated) this.signals.tasksMoved(graph.tasks.map((task) => ({ taskId: task.id, status: task.status })));
    return { ...graph, deduplicated };
  }

  async getOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null> {
    return getOrchestration(this.ctx, orchestrationId);
  }

  async listOrchestrations(filter: { beforeId?: number; limit: number }): Promise<OrchestrationRecord[]> {
    return listOrchestrations(this.ctx, filter);
  }

  async cancelOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null> {
    const stopping = await cancelOrchestration(this.ctx, orchestrationId);
    this.announceMoved();
    if (stopping === null) return null;
    for (const taskId of stopping) this.signals.cancelRequested(taskId);
    return getOrchestration(this.ctx, orchestrationId);
  }

  async dependencyResults(taskId: number): Promise<DependencyResult[]> {
    return dependencyResults(this.ctx, taskId);
  }

  async abandon(lease: Lease, reason: string, retryDelayMs: number): Promise<boolean> {
    return this.announce(lease.taskId, await abandon(this.ctx, lease, reason, retryDelayMs));
  }

  async reapExpired(retryDelayMs: number): Promise<number[]> {
    const reaped = await reapExpired(this.ctx, retryDelayMs);
    for (const { taskId, status } of reaped) this.announce(taskId, status);
    return reaped.map(({ taskId }) => taskId);
  }

  async runningAttemptsOnHost(host: string): Promise<RunningAttempt[]> {
    return runningAttemptsOnHost(this.ctx, host);
  }

  async get(taskId: number): Promise<TaskRecord | null> {
    const row = await getTask(this.ctx, taskId);
    return row ? toTaskRecord(row) : null;
  }

  async readLog(taskId: number, range: LogRange): Promise<LogLine[]> {
    return readLog(this.ctx, taskId, range);
  }

  async list(filter: ListFilter): Promise<TaskRecord[]> {
    return (await listTasks(this.ctx, filter)).map(toTaskRecord);
  }

  async countByStatus(): Promise<Record<TaskStatus, number>> {
    return countByStatus(this.ctx);
  }

  async prune(policy: RetentionPolicy, batchSize: number): Promise<number> {
    return prune(this.ctx, policy, batchSize);
  }

  async registerWorker(worker: WorkerRegistration): Promise<void> {
    await registerWorker(this.ctx, worker);
  }

  async workerHeartbeat(workerId: string): Promise<boolean> {
    return workerHeartbeat(this.ctx, workerId);
  }

  async setWorkerState(workerId: string, state: 'draining' | 'stopped'): Promise<boolean> {
    return setWorkerState(this.ctx, workerId, state);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return listWorkers(this.ctx);
  }

  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    const backstop = this.listener.listening ? maxWaitMs : Math.min(maxWaitMs, POLL_WITHOUT_LISTENER_MS);
    return this.signals.waitForWork(signal, backstop);
  }

  onCancelRequested(listener: (taskId: number) => void): () => void {
    return this.signals.onCancelRequested(listener);
  }

  onTaskChanged(listener: (taskId: number) => void): () => void {
    return this.signals.onTaskChanged(listener);
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.ctx.pool.end();
  }

  /**
   * Tells listeners in this process that a task moved to `status` (null:
   * nothing changed, the lease was not the owner) and wakes idle claimers
   * when it is queued again. Other processes heard it through NOTIFY in the
   * same transaction. Returns whether anything changed.
   */
  private announce(taskId: number, status: TaskStatus | null): boolean {
    this.announceMoved();
    if (status === null) return false;
    this.signals.taskMoved(taskId, status);
    return true;
  }

  /** The tasks of a graph that moved on because another task ended or was cancelled. */
  private announceMoved(): void {
    this.signals.tasksMoved(this.ctx.moved.take());
  }
}

function defaultWarn(message: string): void {
  process.stderr.write(`claude-worker store: ${message}\n`);
}
