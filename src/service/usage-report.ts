/** A usage report from the store's rows per day and model: the same rows rolled up by day, by model and in all. */
import { DEFAULT_USAGE_DAYS, type UsageFigures, type UsageReport } from '../core/usage.js';
import type { UsageRow } from '../store/usage-records.js';

const DAY_MS = 86_400_000;

function zero(): UsageFigures {
  return {
    tasks: 0,
    failures: 0,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function add(into: UsageFigures, row: UsageFigures): void {
  for (const key of Object.keys(into) as (keyof UsageFigures)[]) into[key] += Number(row[key]);
}

/** Rolls `rows` (oldest day first) up; `now` names the first day covered. */
export function usageReport(rows: readonly UsageRow[], days = DEFAULT_USAGE_DAYS, now = Date.now()): UsageReport {
  const byDay = new Map<string, UsageFigures>();
  const byModel = new Map<string | null, UsageFigures>();
  const total = zero();
  for (const row of rows) {
    for (const [groups, key] of [
      [byDay, row.day],
      [byModel, row.model],
    ] as [Map<string | null, UsageFigures>, string | null][]) {
      if (!groups.has(key)) groups.set(key, zero());
      add(groups.get(key)!, row);
    }
    add(total, row);
  }
  return {
    days,
    since: new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10),
    by_day: [...byDay].map(([day, figures]) => ({ day, ...figures })),
    // The costliest model first: the one a budget review looks at.
    by_model: [...byModel].map(([model, figures]) => ({ model, ...figures })).sort((a, b) => b.cost_usd - a.cost_usd),
    total,
  };
}
