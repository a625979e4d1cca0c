/**
 * The board's view of the tasks (`GET /api/v1/board`): each task as the one
 * row the dashboard shows, the start of its prompt instead of all of it, and
 * the counts per status of every task. A thousand full tasks are about
 * 1.7 MB of JSON, mostly prompts and summaries the board never shows; a
 * thousand rows are a tenth of that.
 */
import { z } from 'zod';
import { pageQueryShape } from './schemas.js';
import { wholeNumber } from './schema-rules.js';
import { TASK_STATUSES } from './task.js';

/** A board reads this many rows at once at most: its first screen of a thousand tasks in one request. */
export const MAX_BOARD_ROWS = 1000;
/** The start of a prompt a row carries: its first line, cut to this many characters. */
export const PROMPT_START_CHARS = 120;
const MAX_SEARCH_CHARS = 500;

export const boardQuerySchema = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  q: z
    .string()
    .max(MAX_SEARCH_CHARS, { error: `q is longer than ${MAX_SEARCH_CHARS} characters` })
    // No prompt holds one (they are refused at submit), and PostgreSQL text cannot.
    .refine((text) => !text.includes('\0'), { error: 'q must not contain a NUL byte (\\u0000)' })
    .optional()
    .describe('Only tasks whose whole prompt holds this text, ignoring case.'),
  limit: wholeNumber('limit', 1, MAX_BOARD_ROWS).default(MAX_BOARD_ROWS),
  cursor: pageQueryShape.cursor,
});
export type BoardQuery = z.input<typeof boardQuerySchema>;

export const boardRowSchema = z.object({
  id: z.int(),
  status: z.enum(TASK_STATUSES),
  prompt_start: z.string().describe(`The prompt's first line, cut to ${PROMPT_START_CHARS} characters (… marks a cut).`),
  working_directory: z.string(),
  branch: z.string().nullable(),
  last_action_cache: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  cost_usd: z.number().nullable(),
});
export type BoardRow = z.infer<typeof boardRowSchema>;

export const boardPageSchema = z.object({
  rows: z.array(boardRowSchema),
  next_cursor: z.string().nullable(),
  counts: z.record(z.enum(TASK_STATUSES), z.int()).describe('Tasks per status, of all tasks (not only these rows).'),
  last_event_id: z
    .int()
    .describe(
      'The newest event when the rows were read: follow GET /api/v1/events after it (`?after=` or ' +
        '`Last-Event-ID`) to miss no change since.',
    ),
});
export type BoardPage = z.infer<typeof boardPageSchema>;

/** The first line of `prompt`, cut to PROMPT_START_CHARS with an ellipsis. */
export function promptStart(prompt: string): string {
  const line = prompt.split('\n', 1)[0]!;
  return line.length > PROMPT_START_CHARS ? `${line.slice(0, PROMPT_START_CHARS - 1)}…` : line;
}
