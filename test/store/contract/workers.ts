import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { WorkerRegistration, WorkerRecord } from '../../../src/store/worker-records.js';
import { claimTask, type CurrentFixture, enqueueTask, WORKER_A, WORKER_B } from './fixture.js';

const HOUR_MS = 3600 * 1000;

function registration(worker: typeof WORKER_A, overrides: Partial<WorkerRegistration> = {}): WorkerRegistration {
  return {
    id: worker.id,
    name: `node-${worker.host}`,
    host: worker.host,
    pid: worker.pid,
    labels: {},
    capacity: 4,
    leaseMs: 10_000,
    state: 'active',
    ...overrides,
  };
}

/** Ages are read against the database's clock, which moves on its own on PostgreSQL: allow for it. */
const recent = (ms: number) => expect.toSatisfy((age: number) => age >= ms && age < ms + 5000);

export function describeWorkerRegistryContract(current: CurrentFixture): void {
  describe('worker registry', () => {
    it('lists a registered worker as active with its labels and capacity, by name', async () => {
      const { store } = current();
      await store.registerWorker(registration(WORKER_B, { name: 'beta' }));
      await store.registerWorker(registration(WORKER_A, { name: 'alpha', labels: { region: 'eu', gpu: 'true' }, capacity: 2 }));

      const [alpha, beta] = await store.listWorkers();
      expect(alpha).toEqual<WorkerRecord>({
        id: WORKER_A.id,
        name: 'alpha',
        host: WORKER_A.host,
        pid: WORKER_A.pid,
        labels: { gpu: 'true', region: 'eu' },
        capacity: 2,
        running: 0,
        state: 'active',
        started_at: alpha!.last_heartbeat_at,
        last_heartbeat_at: expect.any(Number),
        heartbeat_age_ms: recent(0),
      });
      expect(beta).toMatchObject({ id: WORKER_B.id, name: 'beta', state: 'active' });
    });

    it("counts as a worker's running tasks those it holds leases on", async () => {
      const { store } = current();
      await store.registerWorker(registration(WORKER_A));
      await store.registerWorker(registration(WORKER_B));
      for (let i = 0; i < 4; i++) await enqueueTask(store);
      const first = await claimTask(store, WORKER_A);
      await claimTask(store, WORKER_A);
      await claimTask(store, WORKER_B);
      const running = async () => Object.fromEntries((await store.listWorkers()).map((w) => [w.id, w.running]));
      expect(await running()).toEqual({ [WORKER_A.id]: 2, [WORKER_B.id]: 1 });

      await store.complete(first.lease, { final_summary: 'done', ...emptyRunStats() });
      expect(await running()).toEqual({ [WORKER_A.id]: 1, [WORKER_B.id]: 1 });
    });

    it('reports a worker silent for longer than its lease as lost, until it beats again', async () => {
      const { store, clock } = current();
      await store.registerWorker(registration(WORKER_A, { leaseMs: 10_000 }));
      await clock.advance(8000);
      expect(await store.workerHeartbeat(WORKER_A.id)).toBe(true);
      await clock.advance(8000);
      expect((await store.listWorkers())[0]).toMatchObject({ state: 'active', heartbeat_age_ms: recent(8000) });

      await clock.advance(3000);
      expect((await store.listWorkers())[0]).toMatchObject({ state: 'lost', heartbeat_age_ms: recent(11_000) });
      expect(await store.workerHeartbeat(WORKER_A.id)).toBe(true);
      expect((await store.listWorkers())[0]).toMatchObject({ state: 'active', heartbeat_age_ms: recent(0) });
    });

    it('shows a draining worker as draining, and a stopped one as stopped however long it stays silent', async () => {
      const { store, clock } = current();
      await store.registerWorker(registration(WORKER_A, { leaseMs: 10_000 }));
      await clock.advance(5000);
      expect(await store.setWorkerState(WORKER_A.id, 'draining')).toBe(true);
      expect((await store.listWorkers())[0]).toMatchObject({ state: 'draining', heartbeat_age_ms: recent(0) });
      await clock.advance(11_000);
      expect((await store.listWorkers())[0]!.state).toBe('lost');

      expect(await store.setWorkerState(WORKER_A.id, 'stopped')).toBe(true);
      await clock.advance(5 * HOUR_MS);
      expect((await store.listWorkers())[0]).toMatchObject({ state: 'stopped', heartbeat_age_ms: recent(5 * HOUR_MS) });
    });

    it('updates the row of a worker that registers again, keeping its start time', async () => {
      const { store, clock } = current();
      await store.registerWorker(registration(WORKER_A));
      await clock.advance(1000);
      await store.registerWorker(registration(WORKER_A, { labels: { gpu: 'true' }, capacity: 8, state: 'draining' }));
      const after = await store.listWorkers();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ labels: { gpu: 'true' }, capacity: 8, state: 'draining', heartbeat_age_ms: recent(0) });
      expect(after[0]!.last_heartbeat_at - after[0]!.started_at).toEqual(recent(1000));
    });

    it('tells a worker whose row is gone to register again', async () => {
      const { store } = current();
      expect(await store.workerHeartbeat('never-registered')).toBe(false);
      expect(await store.setWorkerState('never-registered', 'stopped')).toBe(false);
      expect(await store.listWorkers()).toEqual([]);
    });

    it('lists workers heard from within 24 h, and deletes older rows when a worker registers', async () => {
      const { store, clock } = current();
      await store.registerWorker(registration(WORKER_A));
      await store.registerWorker(registration(WORKER_B));
      expect(await store.setWorkerState(WORKER_A.id, 'stopped')).toBe(true);
      await clock.advance(23 * HOUR_MS);
      expect(await store.workerHeartbeat(WORKER_B.id)).toBe(true);
      expect((await store.listWorkers()).map((w) => [w.id, w.state])).toEqual([
        [WORKER_A.id, 'stopped'],
        [WORKER_B.id, 'active'],
      ]);

      await clock.advance(2 * HOUR_MS);
      expect((await store.listWorkers()).map((w) => [w.id, w.state])).toEqual([[WORKER_B.id, 'lost']]);
      await store.registerWorker(registration({ ...WORKER_A, id: 'newcomer' }));
      // Deleted, not only hidden: the old worker's row cannot be renewed any more.
      expect(await store.workerHeartbeat(WORKER_A.id)).toBe(false);
      expect(await store.workerHeartbeat(WORKER_B.id)).toBe(true);
    });
  });
}
