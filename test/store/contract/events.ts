import { describe, expect, it } from 'vitest';
import { TASK_PROGRESS_EVENT, WEBHOOK_EVENT_TYPES } from '../../../src/core/events.js';
import { emptyRunStats } from '../../../src/core/task.js';
import type { OrchestrationSpec } from '../../../src/store/orchestration-records.js';
import type { EventRecord, TaskStore } from '../../../src/store/task-store.js';
import { claimTask, type CurrentFixture, enqueueTask, runningTask, taskSpec } from './fixture.js';

const RECEIVER = 'http://127.0.0.1:9/hook';
const FAN_OUT = { serverUrl: RECEIVER, types: WEBHOOK_EVENT_TYPES, limit: 100 };
const SEND_LEASE_MS = 30_000;
const RETRY_MS = 5_000;
const DAY_MS = 24 * 3600 * 1000;

/** Every event after `afterId`, read in small pages as a follower would. */
async function eventsAfter(store: TaskStore, afterId = 0): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  for (;;) {
    const page = await store.readEvents(events.at(-1)?.id ?? afterId, 2);
    if (page.length === 0) return events;
    events.push(...page);
  }
}

const typesOf = (events: readonly EventRecord[]) => events.map((event) => event.type);

function twoStepGraph(): OrchestrationSpec {
  return {
    name: 'two steps',
    failure_policy: 'skip_dependents',
    pass_results: false,
    key: null,
    budget_usd: null,
    tasks: ['first', 'second'].map((identifier, index) => ({
      ...taskSpec({ execution_prompt: `Do ${identifier}` }),
      identifier,
      depends_on: index === 0 ? [] : ['first'],
      initial_delay: 0,
    })),
  };
}

export function describeEventContract(current: CurrentFixture): void {
  describe('the outbox of events', () => {
    it('record every status change of a task in order, with ids that grow', async () => {
      const { store } = current();
      const before = await store.lastEventId();
      const { lease } = await runningTask(store);
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });

      const events = await eventsAfter(store, before);
      expect(typesOf(events)).toEqual(['task.submitted', 'task.running', 'task.completed']);
      expect(events.every((event) => event.task_id === lease.taskId && event.orchestration_id === null)).toBe(true);
      expect(events.map((event) => event.id)).toEqual([...events.map((event) => event.id)].sort((a, b) => a - b));
      expect(await store.lastEventId()).toBe(events.at(-1)!.id);
      expect(await store.readEvents(events[0]!.id, 10)).toEqual(events.slice(1));
    });

    it('record a cancel before the start, and a retry back to pending', async () => {
      const { store } = current();
      const before = await store.lastEventId();
      const cancelled = await enqueueTask(store);
      await store.requestCancel(cancelled);
      const retried = await enqueueTask(store, { max_attempts: 2 });
      const { lease } = await claimTask(store);
      await store.fail(lease, { error_code: 'agent_error', error_message: 'broke' }, 1000);

      const events = (await eventsAfter(store, before)).map((event) => [event.task_id, event.type]);
      expect(events).toEqual([
        [cancelled, 'task.submitted'],
        [cancelled, 'task.cancelled'],
        [retried, 'task.submitted'],
        [retried, 'task.running'],
        [retried, 'task.pending'],
      ]);
    });

    it('record the end of an orchestration once, when its last task ends', async () => {
      const { store } = current();
      const before = await store.lastEventId();
      const graph = await store.submitOrchestration(twoStepGraph());
      const first = await claimTask(store);
      await store.fail(first.lease, { error_code: 'agent_error', error_message: 'broke' }, null);

      const events = await eventsAfter(store, before);
      expect(typesOf(events).filter((type) => type.startsWith('orchestration.'))).toEqual([
        'orchestration.submitted',
        'orchestration.failed',
      ]);
      expect(events.filter((event) => event.type === 'task.skipped').map((event) => event.task_id)).toEqual([graph.tasks[1]!.id]);
      expect(events.map((event) => event.orchestration_id)).toEqual(events.map(() => graph.orchestration.id));
    });

    it('delete the events of a task with it when retention deletes the task', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store);
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      const queued = await enqueueTask(store);
      await clock.advance(2 * DAY_MS);
      expect(await store.prune({ finishedMaxAgeMs: DAY_MS, failedMaxAgeMs: DAY_MS }, 10)).toBe(1);

      expect((await eventsAfter(store)).map((event) => [event.task_id, event.type])).toEqual([[queued, 'task.submitted']]);
    });

    it("record a running task's changed last action as its one progress event, the latest, gone when the task ends", async () => {
      const { store } = current();
      const before = await store.lastEventId();
      const { lease } = await runningTask(store);
      await store.recordProgress(lease, { last_action_cache: 'Read README.md' });
      // Only the session id: the last action is unchanged, so no new event.
      await store.recordProgress(lease, { session_id: 'session-1' });
      await store.recordProgress(lease, { last_action_cache: 'Edit src/a.ts' });

      const running = await eventsAfter(store, before);
      expect(running.map((event) => [event.type, event.data])).toEqual([
        ['task.submitted', null],
        ['task.running', null],
        [TASK_PROGRESS_EVENT, { last_action: 'Edit src/a.ts' }],
      ]);
      // A follower that has seen the first progress event gets the newer one after it.
      expect(running[2]!.task_id).toBe(lease.taskId);

      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      expect(typesOf(await eventsAfter(store, before))).toEqual(['task.submitted', 'task.running', 'task.completed']);
    });

    it('record an event given by the caller, with its data', async () => {
      const { store } = current();
      const id = await store.recordEvent({ type: 'queue.paused', data: { reason: 'usage limit' } });
      expect(await store.readEvents(id - 1, 10)).toEqual([
        expect.objectContaining({ id, type: 'queue.paused', task_id: null, data: { reason: 'usage limit' } }),
      ]);
    });
  });

  describe('webhook deliveries', () => {
    /** A task that ran to completion, fanned out: one delivery of `task.completed` to RECEIVER. */
    async function completedAndFannedOut(store: TaskStore): Promise<number> {
      const { lease } = await runningTask(store);
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      while ((await store.fanOutWebhooks(FAN_OUT)) > 0);
      return lease.taskId;
    }

    it('fan out each event of the webhook types once, however often the fan-out runs', async () => {
      const { store } = current();
      const taskId = await completedAndFannedOut(store);
      expect(await store.fanOutWebhooks(FAN_OUT)).toBe(0);

      const [delivery, ...more] = await store.claimWebhookDeliveries(SEND_LEASE_MS, 10);
      expect(more).toEqual([]);
      expect(delivery).toMatchObject({ url: RECEIVER, attempts: 1, event: { type: 'task.completed', task_id: taskId } });
    });

    it("send to the task's and its orchestration's own webhook_url too, each URL once per event", async () => {
      const { store } = current();
      const own = 'http://127.0.0.1:9/own';
      const lone = await runningTask(store, { webhook_url: own });
      await store.complete(lone.lease, { final_summary: 'done', ...emptyRunStats() });
      const graph = await store.submitOrchestration({ ...twoStepGraph(), webhook_url: RECEIVER });
      const first = await claimTask(store);
      await store.fail(first.lease, { error_code: 'agent_error', error_message: 'broke' }, null);
      while ((await store.fanOutWebhooks(FAN_OUT)) > 0);

      const sent = (await store.claimWebhookDeliveries(SEND_LEASE_MS, 100)).map((delivery) => [
        delivery.event.type,
        delivery.event.task_id ?? delivery.event.orchestration_id,
        delivery.url,
      ]);
      expect(sent.sort()).toEqual(
        [
          ['task.completed', lone.lease.taskId, RECEIVER],
          ['task.completed', lone.lease.taskId, own],
          // The orchestration names the server's receiver again: one delivery, not two.
          ['task.failed', graph.tasks[0]!.id, RECEIVER],
          ['orchestration.failed', graph.orchestration.id, RECEIVER],
        ].sort(),
      );
    });

    it('make no delivery for progress events, to any receiver', async () => {
      const { store } = current();
      const own = 'http://127.0.0.1:9/own';
      const { lease } = await runningTask(store, { webhook_url: own });
      for (const action of ['Read README.md', 'Edit src/a.ts', 'Bash npm test']) {
        await store.recordProgress(lease, { last_action_cache: action });
        while ((await store.fanOutWebhooks(FAN_OUT)) > 0);
      }
      expect(await store.webhookBacklog()).toBe(0);

      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      while ((await store.fanOutWebhooks(FAN_OUT)) > 0);
      const sent = await store.claimWebhookDeliveries(SEND_LEASE_MS, 100);
      expect(sent.map((delivery) => [delivery.event.type, delivery.url]).sort()).toEqual(
        [
          ['task.completed', RECEIVER],
          ['task.completed', own],
        ].sort(),
      );
    });

    it('lease a delivery to one sender, and hand it out again when its lease ends unsettled', async () => {
      const { store, clock } = current();
      expect(await store.webhookBacklog()).toBe(0);
      await completedAndFannedOut(store);
      expect(await store.webhookBacklog()).toBe(1);
      const [first] = await store.claimWebhookDeliveries(SEND_LEASE_MS, 10);
      expect(await store.claimWebhookDeliveries(SEND_LEASE_MS, 10)).toEqual([]);
      expect(await store.webhookBacklog(), 'leased, still owed').toBe(1);

      await clock.advance(SEND_LEASE_MS + 1);
      const [again] = await store.claimWebhookDeliveries(SEND_LEASE_MS, 10);
      expect(again).toMatchObject({ id: first!.id, attempts: 2 });
      expect(await store.settleWebhookDelivery(first!, { delivered: true }), 'the first lease is gone').toBe(false);
      expect(await store.settleWebhookDelivery(again!, { delivered: true })).toBe(true);
      expect(await store.webhookBacklog(), 'delivered').toBe(0);
      await clock.advance(SEND_LEASE_MS + 1);
      expect(await store.claimWebhookDeliveries(SEND_LEASE_MS, 10)).toEqual([]);
    });

    it('send a failed delivery again after its delay, and give up once the retry window is over', async () => {
      const { store, clock } = current();
      await completedAndFannedOut(store);
      const failed = { delivered: false as const, error: 'HTTP 500', retryDelayMs: RETRY_MS, retryWindowMs: DAY_MS };
      const [first] = await store.claimWebhookDeliveries(SEND_LEASE_MS, 10);
      expect(await store.settleWebhookDelivery(first!, failed)).toBe(true);
      expect(await store.claimWebhookDeliveries(SEND_LEASE_MS, 10)).toEqual([]);
      expect(await store.webhookBacklog(), 'to be sent again').toBe(1);

      await clock.advance(RETRY_MS + 1);
      const [second] = await store.claimWebhookDeliveries(SEND_LEASE_MS, 10);
      expect(second).toMatchObject({ id: first!.id, attempts: 2 });
      await clock.advance(DAY_MS);
      expect(await store.settleWebhookDelivery(second!, failed)).toBe(true);
      await clock.advance(RETRY_MS + 1);
      expect(await store.claimWebhookDeliveries(SEND_LEASE_MS, 10), 'given up').toEqual([]);
      expect(await store.webhookBacklog(), 'given up').toBe(0);
    });
  });
}
