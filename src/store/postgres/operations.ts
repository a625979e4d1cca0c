/** Every operation of the PostgreSQL store, one statement module each, as one namespace for postgres-database.ts. */
export { abandon } from './abandon.js';
export { requestCancel } from './cancel.js';
export { cancelOrchestration } from './cancel-orchestration.js';
export { claimMany } from './claim.js';
export { enqueue } from './enqueue.js';
export { heartbeat } from './heartbeat.js';
export { appendLog, readLog } from './log-lines.js';
export { recordMerge, recordProgress, recordSpawn, recordWorkspace } from './progress.js';
export { prune } from './prune.js';
export { countByStatus, getTask, listTasks, runningAttemptsOnHost } from './read.js';
export { dependencyHeads, dependencyResults, getOrchestration, listOrchestrations } from './read-orchestration.js';
export { reapExpired } from './reap.js';
export { complete, fail, markCancelled, release } from './settle.js';
export { submitOrchestration } from './submit-orchestration.js';
export { listWorkers, registerWorker, setWorkerState, workerHeartbeat } from './workers.js';
export { lastEventId, readEvents, recordEvent } from './events.js';
export { claimWebhookDeliveries, settleWebhookDelivery } from './webhook-deliveries.js';
export { fanOutWebhooks } from './webhook-fan-out.js';
