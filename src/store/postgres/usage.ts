/** What tasks cost per UTC day and model (see sql/usage.ts). */
import { usageByDayAndModel } from '../sql/usage.js';
import type { UsageRow } from '../usage-records.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const USAGE = usageByDayAndModel(POSTGRES_DIALECT);

export async function usage(ctx: PostgresContext, days: number): Promise<UsageRow[]> {
  return ctx.rows<UsageRow>(USAGE, { days_back: days - 1 });
}
