/** What tasks cost per UTC day and model (see sql/usage.ts). */
import { usageByDayAndModel } from '../sql/usage.js';
import type { UsageRow } from '../usage-records.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const USAGE = usageByDayAndModel(SQLITE_DIALECT);

export function usage(ctx: SqliteContext, days: number): UsageRow[] {
  return ctx.statement(USAGE).all({ days_back: days - 1, now: ctx.now() }) as UsageRow[];
}
