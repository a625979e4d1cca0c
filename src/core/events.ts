/**
 * The state changes every interface reports: the event stream
 * (`GET /api/v1/events`) shows them all; webhooks are sent for the ones that
 * mean work ended or needs attention.
 */
import { z } from 'zod';
import { wholeNumber } from './schema-rules.js';
import type { Orchestration } from './orchestration.js';
import type { Task } from './task.js';

/**
 * What a webhook is sent for. Task events are named `task.<status>` after
 * the status the task moved to (`task.submitted` when it was created);
 * orchestration events `orchestration.<status>` when its last task ended.
 * `task.paused` and `queue.paused` / `queue.resumed` are recorded by the
 * queue's pause (a usage limit), not by a status change.
 */
export const WEBHOOK_EVENT_TYPES = [
  'task.completed',
  'task.failed',
  'task.cancelled',
  'task.paused',
  'orchestration.completed',
  'orchestration.failed',
  'queue.paused',
  'queue.resumed',
] as const;

/**
 * What a running task is doing: sent on the event stream (with the task, and
 * `data.last_action`) when its last action changes, at most every 250 ms per
 * task, the latest action winning. It is no state change: webhooks never get
 * it, and a follower that was away gets only each task's latest one.
 */
export const TASK_PROGRESS_EVENT = 'task.progress';

/** One state change, as the event stream and webhooks carry it. Times are ISO 8601 UTC. */
export interface StateEvent {
  /** Grows with every event: pass the last one seen as `Last-Event-ID` (or `?after=`) to resume. */
  id: number;
  type: string;
  at: string;
  /** The task as `GET /api/v1/tasks/{id}` returns it when the event is sent; null when it was deleted since. */
  task: Task | null;
  /** The orchestration (without its tasks) of an orchestration event, as it is when the event is sent. */
  orchestration: Orchestration | null;
  /** What the event adds beyond the object, e.g. when a paused queue resumes. */
  data: Record<string, unknown> | null;
}

/** Where the event stream starts: after `after` (or the `Last-Event-ID` header); by default, at the newest event. */
export const eventsQuerySchema = z.strictObject({
  after: wholeNumber('after', 0)
    .optional()
    .describe('Start after this event id (the last one seen); by default only events from now on.'),
});

/** A `Last-Event-ID` header read as the same whole number `after` takes. */
export const lastEventIdSchema = wholeNumber('Last-Event-ID', 0);
