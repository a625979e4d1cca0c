/**
 * Cross-process hints over LISTEN/NOTIFY: "work may be available" (enqueue,
 * release, retry, reap) and "cancel task N". They are sent inside the
 * transaction that made the change, so PostgreSQL delivers them only once
 * it committed. Hints can be lost (a listener reconnecting, a node down):
 * polling in `waitForWork` and cancel flags in heartbeats are the guarantee.
 */
import type { Sql } from './pool.js';

export const WORK_CHANNEL = 'claude_worker_work';
export const CANCEL_CHANNEL = 'claude_worker_cancel';

interface Payload {
  /** The store that sent it: a store ignores its own hints (it signalled them in-process already). */
  origin: string;
  task_id: number;
}

export async function notifyWork(sql: Sql, taskId: number): Promise<void> {
  await notify(sql, WORK_CHANNEL, taskId);
}

export async function notifyCancel(sql: Sql, taskId: number): Promise<void> {
  await notify(sql, CANCEL_CHANNEL, taskId);
}

async function notify(sql: Sql, channel: string, taskId: number): Promise<void> {
  const payload: Payload = { origin: sql.origin, task_id: taskId };
  await sql.rows('SELECT pg_notify(@channel, @payload)', { channel, payload: JSON.stringify(payload) });
}

export type Hint = { kind: 'work' } | { kind: 'cancel'; taskId: number };

/**
 * What a notification asks of the store `origin`; null for its own hints and
 * for anything it cannot read (another program may NOTIFY on these channels).
 */
export function readHint(channel: string, rawPayload: string | undefined, origin: string): Hint | null {
  let payload: Partial<Payload>;
  try {
    payload = JSON.parse(rawPayload ?? '') as Partial<Payload>;
  } catch {
    return null;
  }
  if (payload.origin === origin || !Number.isSafeInteger(payload.task_id)) return null;
  if (channel === WORK_CHANNEL) return { kind: 'work' };
  if (channel === CANCEL_CHANNEL) return { kind: 'cancel', taskId: payload.task_id! };
  return null;
}
