/**
 * Making webhook deliveries from the outbox, batch by batch. Nodes take
 * turns under an advisory lock, so each batch is fanned out once; ids follow
 * commit order (see the migration), so no event commits behind the cursor.
 */
import type { FanOutSpec } from '../event-records.js';
import { FAN_OUT_BATCH_END, fanOut, MOVE_FAN_OUT_CURSOR, READ_FAN_OUT_CURSOR } from '../sql/events.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const LOCK = `SELECT pg_advisory_xact_lock(hashtext('claude_worker_webhook_fan_out'))`;

/** Returns how many events it passed (0: the outbox is fanned out). */
export async function fanOutWebhooks(ctx: PostgresContext, spec: FanOutSpec): Promise<number> {
  const insert = fanOut(POSTGRES_DIALECT, spec.types);
  return ctx.transaction(async (tx) => {
    await tx.rows(LOCK);
    const [cursor] = await tx.rows<{ last_event_id: number }>(READ_FAN_OUT_CURSOR);
    const after = Number(cursor?.last_event_id ?? 0);
    const [batch] = await tx.rows<{ upto: number | null }>(FAN_OUT_BATCH_END, { after_id: after, limit: spec.limit });
    if (batch?.upto === null || batch?.upto === undefined) return 0;
    const upto = Number(batch.upto);
    await tx.run(insert, { after_id: after, upto, server_url: spec.serverUrl });
    await tx.run(MOVE_FAN_OUT_CURSOR, { upto });
    return upto - after;
  });
}
