/** What a contract test gets from a store factory, and the small builders the sections share. */
import { expect } from 'vitest';
import type { ClaimedTask, EnqueueSpec, TaskStore, WorkerIdentity } from '../../../src/store/task-store.js';
import { taskSpec } from '../../support/task-spec.js';

export { taskSpec };

/**
 * Moves the store's notion of "now" forward. SQLite stores read an injected
 * clock; a store on database time can instead shift every stored time back
 * by `ms`, which is the same thing as far as the store can tell.
 */
export interface TestClock {
  advance(ms: number): Promise<void>;
}

export interface TaskStoreFixture {
  /** Fresh and empty. */
  store: TaskStore;
  clock: TestClock;
  cleanup: () => Promise<void>;
}

export type TaskStoreFactory = () => Promise<TaskStoreFixture>;

/** Returns the fixture of the running test. */
export type CurrentFixture = () => TaskStoreFixture;

export const LEASE_MS = 60_000;

export function workerOn(host: string, name: string): WorkerIdentity {
  return { id: `${host}:${name}`, host, bootId: `boot-of-${host}`, pid: 4000 + name.length, procStartTime: '12345' };
}

export const WORKER_A = workerOn('host-a', 'runner-a');
export const WORKER_B = workerOn('host-b', 'runner-b');

export async function enqueueTask(store: TaskStore, overrides: Partial<EnqueueSpec> = {}): Promise<number> {
  return (await store.enqueue(taskSpec(overrides))).task.id;
}

/** Claims and insists that something was claimed. */
export async function claimTask(store: TaskStore, worker: WorkerIdentity = WORKER_A, leaseMs = LEASE_MS): Promise<ClaimedTask> {
  const claimed = await store.claim(worker, leaseMs);
  expect(claimed, 'a runnable task to claim').not.toBeNull();
  return claimed!;
}

/** A new task, claimed: the starting point of most lease tests. */
export async function runningTask(
  store: TaskStore,
  overrides: Partial<EnqueueSpec> = {},
  leaseMs = LEASE_MS,
): Promise<ClaimedTask> {
  const id = await enqueueTask(store, overrides);
  const claimed = await claimTask(store, WORKER_A, leaseMs);
  expect(claimed.task.id).toBe(id);
  return claimed;
}
