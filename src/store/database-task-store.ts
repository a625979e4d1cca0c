/**
 * The TaskStore, over either database. The database's statements do the
 * work (StoreOperations); this class calls them and tells listeners in this
 * process what changed. Other processes learn of changes through the
 * database: PostgreSQL's NOTIFY, sent in the same transaction as the write,
 * and polling as the backstop for both.
 */
import type { Labels } from '../core/labels.js';
import type { RunStats, TaskStatus } from '../core/task.js';
import type * as Outbox from './event-records.js';
import type * as Graphs from './orchestration-records.js';
import { CompletionGroups } from './group-commit.js';
import type { MovedTask, StoreOperations } from './store-operations.js';
import { StoreSignals } from './store-signals.js';
// One namespace: the methods take and return the task-store records, named as the interface names them.
import type * as Records from './task-store.js';
import type { TaskStore } from './task-store.js';
import type { UsageRow } from './usage-records.js';
import type { WorkerRecord, WorkerRegistration } from './worker-records.js';

/** One database: its context for the statements, and what differs in how it is waited on and closed. */
export interface StoreDatabase<C> {
  readonly ctx: C;
  readonly operations: StoreOperations<C>;
  /** Graph tasks moved by the writes since the last call (dependents promoted or skipped), to announce. */
  takeMoved(): MovedTask[];
  /** How long a group of completions gathers before it is written (see group-commit.ts); 0: the next turn of the event loop. */
  readonly completionGatherMs: number;
  /** How long a claimer with nothing to do may sleep before it polls, given the most it asked for. */
  pollIntervalMs(maxWaitMs: number): number;
  close(): Promise<void>;
}

export class DatabaseTaskStore<C, D extends StoreDatabase<C> = StoreDatabase<C>> implements TaskStore {
  private readonly ops: StoreOperations<C>;
  private readonly ctx: C;
  private readonly completions: CompletionGroups;

  constructor(
    /** The database under the store, for what only it has (PostgreSQL's listener state). */
    readonly database: D,
    private readonly signals = new StoreSignals(),
  ) {
    this.ops = database.operations;
    this.ctx = database.ctx;
    this.completions = new CompletionGroups(async (group) => this.ops.completeMany(this.ctx, group), database.completionGatherMs);
  }

  async enqueue(spec: Records.EnqueueSpec): Promise<Records.EnqueueResult> {
    const result = await this.ops.enqueue(this.ctx, spec);
    if (!result.deduplicated) this.announce(result.task.id, 'pending');
    return result;
  }

  async claim(worker: Records.WorkerIdentity, leaseMs: number, labels: Labels = {}): Promise<Records.ClaimedTask | null> {
    return (await this.claimMany(worker, leaseMs, 1, labels))[0] ?? null;
  }

  async claimMany(
    worker: Records.WorkerIdentity,
    leaseMs: number,
    limit: number,
    labels: Labels = {},
  ): Promise<Records.ClaimedTask[]> {
    const claimed = await this.ops.claimMany(this.ctx, worker, leaseMs, limit, labels);
    for (const { task } of claimed) this.announce(task.id, 'running');
    return claimed;
  }

  async recordSpawn(lease: Records.Lease, agent: Records.AgentProcessInfo): Promise<boolean> {
    return this.ops.recordSpawn(this.ctx, lease, agent);
  }

  async recordProgress(lease: Records.Lease, progress: Records.TaskProgress): Promise<boolean> {
    const owned = await this.ops.recordProgress(this.ctx, lease, progress);
    if (owned) this.signals.taskChanged(lease.taskId);
    return owned;
  }

  async recordWorkspace(lease: Records.Lease, workspace: Records.WorkspaceProgress): Promise<boolean> {
    const owned = await this.ops.recordWorkspace(this.ctx, lease, workspace);
    if (owned) this.signals.taskChanged(lease.taskId);
    return owned;
  }

  async recordMerge(taskId: number, merge: Records.MergeRecord): Promise<boolean> {
    const recorded = await this.ops.recordMerge(this.ctx, taskId, merge);
    if (recorded) this.signals.taskChanged(taskId);
    return recorded;
  }

  async appendLog(lines: readonly Records.TaskLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.ops.appendLog(this.ctx, lines);
    // Followers of the logs wake up as they do for any change of their task.
    for (const taskId of new Set(lines.map((line) => line.taskId))) this.signals.taskChanged(taskId);
  }

  async heartbeat(leases: readonly Records.Lease[], leaseMs: number): Promise<Records.HeartbeatResult[]> {
    return this.ops.heartbeat(this.ctx, leases, leaseMs);
  }

  async complete(lease: Records.Lease, result: Records.CompletedResult): Promise<boolean> {
    const run = await this.completions.complete({ lease, result });
    return this.afterCost(lease.taskId, run?.status ?? null, run?.inGraph);
  }

  async fail(lease: Records.Lease, failure: Records.FailureRecord, retryDelayMs: number | null): Promise<boolean> {
    return this.afterCost(lease.taskId, await this.ops.fail(this.ctx, lease, failure, retryDelayMs));
  }

  async release(lease: Records.Lease): Promise<boolean> {
    return this.announce(lease.taskId, await this.ops.release(this.ctx, lease));
  }

  async markCancelled(lease: Records.Lease, stats?: Partial<RunStats>): Promise<boolean> {
    return this.afterCost(lease.taskId, await this.ops.markCancelled(this.ctx, lease, stats));
  }

  async deferForLimit(lease: Records.Lease, limit: Records.LimitRecord): Promise<boolean> {
    return this.announce(lease.taskId, await this.ops.deferForLimit(this.ctx, lease, limit));
  }

  async pauseQueue(request: Records.PauseRequest): Promise<Records.QueuePauseRecord> {
    return this.ops.pauseQueue(this.ctx, request);
  }

  async resumeQueue(): Promise<Records.QueuePauseRecord | null> {
    const lifted = await this.ops.resumeQueue(this.ctx);
    this.signals.workAvailable();
    return lifted;
  }

  async probeGotThrough(taskId: number): Promise<boolean> {
    const lifted = await this.ops.probeGotThrough(this.ctx, taskId);
    if (lifted) this.signals.workAvailable();
    return lifted;
  }

  async readQueuePause(): Promise<Records.QueuePauseRecord | null> {
    return this.ops.readQueuePause(this.ctx);
  }

  async spentToday(): Promise<number> {
    return this.ops.spentToday(this.ctx);
  }

  async abandon(lease: Records.Lease, reason: string, retryDelayMs: number): Promise<boolean> {
    return this.announce(lease.taskId, await this.ops.abandon(this.ctx, lease, reason, retryDelayMs));
  }

  async requestCancel(taskId: number): Promise<{ task: Records.TaskRecord; outcome: Records.CancelOutcome } | null> {
    const result = await this.ops.requestCancel(this.ctx, taskId);
    this.announceMoved();
    if (!result) return null;
    if (result.outcome !== 'already_ended') this.signals.taskChanged(taskId);
    if (result.outcome === 'cancel_requested') this.signals.cancelRequested(taskId);
    return result;
  }

  async reapExpired(retryDelayMs: number): Promise<number[]> {
    const reaped = await this.ops.reapExpired(this.ctx, retryDelayMs);
    for (const { taskId, status } of reaped) this.announce(taskId, status);
    return reaped.map(({ taskId }) => taskId);
  }

  async runningAttemptsOnHost(host: string): Promise<Records.RunningAttempt[]> {
    return this.ops.runningAttemptsOnHost(this.ctx, host);
  }

  async get(taskId: number): Promise<Records.TaskRecord | null> {
    return this.ops.getTask(this.ctx, taskId);
  }

  async readLog(taskId: number, range: Records.LogRange): Promise<Records.LogLine[]> {
    return this.ops.readLog(this.ctx, taskId, range);
  }

  async list(filter: Records.ListFilter): Promise<Records.TaskRecord[]> {
    return this.ops.listTasks(this.ctx, filter);
  }

  async listBoardRows(filter: Records.ListFilter): Promise<Records.BoardRowRecord[]> {
    return this.ops.listBoardRows(this.ctx, filter);
  }

  async countByStatus(): Promise<Record<TaskStatus, number>> {
    return this.ops.countByStatus(this.ctx);
  }

  async countActive(): Promise<Records.ActiveCounts> {
    return this.ops.countActive(this.ctx);
  }

  async metricsSnapshot(): Promise<Records.TaskMetricsSnapshot> {
    return this.ops.metricsSnapshot(this.ctx);
  }

  async usage(days: number): Promise<UsageRow[]> {
    return this.ops.usage(this.ctx, days);
  }

  async submitOrchestration(spec: Graphs.OrchestrationSpec): Promise<Graphs.SubmitOrchestrationResult> {
    const { id, deduplicated } = await this.ops.submitOrchestration(this.ctx, spec);
    const graph = (await this.ops.getOrchestration(this.ctx, id))!;
    if (!deduplicated) this.signals.tasksMoved(graph.tasks.map((task) => ({ taskId: task.id, status: task.status })));
    return { ...graph, deduplicated };
  }

  async getOrchestration(orchestrationId: number): Promise<Graphs.OrchestrationGraph | null> {
    return this.ops.getOrchestration(this.ctx, orchestrationId);
  }

  async listOrchestrations(filter: { beforeId?: number; limit: number }): Promise<Graphs.OrchestrationRecord[]> {
    return this.ops.listOrchestrations(this.ctx, filter);
  }

  async cancelOrchestration(orchestrationId: number): Promise<Graphs.OrchestrationGraph | null> {
    const stopping = await this.ops.cancelOrchestration(this.ctx, orchestrationId);
    this.announceMoved();
    if (stopping === null) return null;
    for (const taskId of stopping) this.signals.cancelRequested(taskId);
    return this.ops.getOrchestration(this.ctx, orchestrationId);
  }

  async dependencyResults(taskId: number): Promise<Graphs.DependencyResult[]> {
    return this.ops.dependencyResults(this.ctx, taskId);
  }

  async dependencyHeads(taskId: number): Promise<Graphs.DependencyHead[]> {
    return this.ops.dependencyHeads(this.ctx, taskId);
  }

  async prune(policy: Records.RetentionPolicy, batchSize: number): Promise<number> {
    return this.ops.prune(this.ctx, policy, batchSize);
  }

  async registerWorker(worker: WorkerRegistration): Promise<void> {
    await this.ops.registerWorker(this.ctx, worker);
  }

  async workerHeartbeat(workerId: string): Promise<boolean> {
    return this.ops.workerHeartbeat(this.ctx, workerId);
  }

  async setWorkerState(workerId: string, state: 'draining' | 'stopped'): Promise<boolean> {
    return this.ops.setWorkerState(this.ctx, workerId, state);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return this.ops.listWorkers(this.ctx);
  }

  async recordEvent(event: Outbox.NewEvent): Promise<number> {
    return this.ops.recordEvent(this.ctx, event);
  }

  async readEvents(afterId: number, limit: number): Promise<Outbox.EventRecord[]> {
    return this.ops.readEvents(this.ctx, afterId, limit);
  }

  async lastEventId(): Promise<number> {
    return this.ops.lastEventId(this.ctx);
  }

  async fanOutWebhooks(spec: Outbox.FanOutSpec): Promise<number> {
    return this.ops.fanOutWebhooks(this.ctx, spec);
  }

  async claimWebhookDeliveries(leaseMs: number, limit: number): Promise<Outbox.WebhookDelivery[]> {
    return this.ops.claimWebhookDeliveries(this.ctx, leaseMs, limit);
  }

  async settleWebhookDelivery(lease: Outbox.DeliveryLease, outcome: Outbox.DeliveryOutcome): Promise<boolean> {
    return this.ops.settleWebhookDelivery(this.ctx, lease, outcome);
  }

  async webhookBacklog(): Promise<number> {
    return this.ops.webhookBacklog(this.ctx);
  }

  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    return this.signals.waitForWork(signal, this.database.pollIntervalMs(maxWaitMs));
  }

  onCancelRequested(listener: (taskId: number) => void): () => void {
    return this.signals.onCancelRequested(listener);
  }

  onTaskChanged(listener: (taskId: number) => void): () => void {
    return this.signals.onTaskChanged(listener);
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  /**
   * Tells listeners in this process that a task moved to `status` (null:
   * nothing changed, the lease was not the owner) and wakes idle claimers
   * when it is queued again. Returns whether anything changed.
   */
  private announce(taskId: number, status: TaskStatus | null): boolean {
    this.announceMoved();
    if (status === null) return false;
    this.signals.taskMoved(taskId, status);
    return true;
  }

  /**
   * Announces a run's end that recorded the agent's cost, then holds its
   * orchestration to its budget. That is a transaction of its own, after the
   * end committed: the sum must see what tasks ending at the same moment on
   * other nodes spent. A process that dies in between leaves it to the next
   * of the orchestration's tasks to end. A task known to be on its own
   * (`inGraph` false) has no budget to hold: no round trip for it.
   */
  private async afterCost(taskId: number, status: TaskStatus | null, inGraph = true): Promise<boolean> {
    if (!this.announce(taskId, status)) return false;
    if (!inGraph) return true;
    const { skipped, stopping } = await this.ops.enforceBudget(this.ctx, taskId);
    this.signals.tasksMoved(skipped.map((id) => ({ taskId: id, status: 'skipped' as const })));
    for (const id of stopping) {
      this.signals.taskChanged(id);
      this.signals.cancelRequested(id);
    }
    return true;
  }

  /** The tasks of a graph that moved on because another task ended or was cancelled. */
  private announceMoved(): void {
    this.signals.tasksMoved(this.database.takeMoved());
  }
}
