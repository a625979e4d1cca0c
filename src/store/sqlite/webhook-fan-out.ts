/** Making webhook deliveries from the outbox, batch by batch, under the write lock so each event is fanned out once. */
import type { FanOutSpec } from '../event-records.js';
import { FAN_OUT_BATCH_END, fanOut, MOVE_FAN_OUT_CURSOR, READ_FAN_OUT_CURSOR } from '../sql/events.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

/** Returns how many events it passed (0: the outbox is fanned out). */
export function fanOutWebhooks(ctx: SqliteContext, spec: FanOutSpec): number {
  const insert = fanOut(SQLITE_DIALECT, spec.types);
  const batch = () => {
    const cursor = ctx.statement(READ_FAN_OUT_CURSOR).get() as { last_event_id: number } | undefined;
    const after = cursor?.last_event_id ?? 0;
    const { upto } = ctx.statement(FAN_OUT_BATCH_END).get({ after_id: after, limit: spec.limit }) as { upto: number | null };
    return { after, upto };
  };
  // Every process sending webhooks asks often: when nothing is new, the answer takes no write lock.
  if (batch().upto === null) return 0;
  return ctx.immediate(() => {
    const { after, upto } = batch();
    if (upto === null) return 0;
    ctx.statement(insert).run({ after_id: after, upto, server_url: spec.serverUrl, now: ctx.now() });
    ctx.statement(MOVE_FAN_OUT_CURSOR).run({ upto });
    return upto - after;
  });
}
