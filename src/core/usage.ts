/**
 * What tasks cost, as `claude-worker usage` and `GET /api/v1/usage` show it:
 * per UTC day and per model, over the last days. Figures are what the agents
 * reported (Claude Code's estimates), for the tasks that ran and ended.
 */
import { z } from 'zod';
import { wholeNumber } from './schema-rules.js';

/** How far back a report may reach: a year, enough for any budget review, and a bounded scan. */
export const MAX_USAGE_DAYS = 366;
export const DEFAULT_USAGE_DAYS = 7;

export const usageQuerySchema = z.strictObject({
  days: wholeNumber('days', 1, MAX_USAGE_DAYS)
    .default(DEFAULT_USAGE_DAYS)
    .describe('How many UTC days to cover, today included; default 7.'),
});
export type UsageQuery = z.input<typeof usageQuerySchema>;

/** Totals of one group of tasks. */
export const usageFiguresSchema = z.object({
  tasks: z.int().describe('Tasks that ran and ended in the period.'),
  failures: z.int().describe('Of those, how many ended failed.'),
  cost_usd: z.number(),
  input_tokens: z.int(),
  output_tokens: z.int(),
  cache_creation_input_tokens: z.int(),
  cache_read_input_tokens: z.int(),
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageReportSchema = z.object({
  days: z.int(),
  /** The first UTC day covered (`YYYY-MM-DD`). */
  since: z.string().describe('The first UTC day covered (YYYY-MM-DD).'),
  by_day: z.array(usageFiguresSchema.extend({ day: z.string() })).describe('Days with ended tasks, oldest first.'),
  by_model: z
    .array(usageFiguresSchema.extend({ model: z.string().nullable() }))
    .describe("By the model the task asked for; null: Claude Code's default."),
  total: usageFiguresSchema,
});
export type UsageReport = z.infer<typeof usageReportSchema>;
