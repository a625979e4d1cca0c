/**
 * The board's rows (`GET /api/v1/board`: a task each, the start of its
 * prompt instead of all of it) and the counts per status, kept up to date
 * with the full tasks the event stream brings.
 */
import { api } from './api.js';
import { firstLine } from './format.js';

/** The rows of the first read: the server answers a thousand rows in one request. */
export const FIRST_READ = 1000;
/** As much of the prompt as a row the server sends holds (its first line, cut). */
const PROMPT_START_CHARS = 120;

/**
 * A page of rows, newest first: `{ rows, counts, cursor, lastEventId }`
 * (`cursor` null: no older rows; `lastEventId`: the newest event when they were read).
 */
export async function readRows({ q, cursor, limit = FIRST_READ, signal } = {}) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (q) query.set('q', q);
  if (cursor) query.set('cursor', cursor);
  const page = await api(`/api/v1/board?${query}`, { signal });
  return { rows: page.rows, counts: page.counts, cursor: page.next_cursor, lastEventId: page.last_event_id };
}

/** A task from the event stream as a row. */
export function toRow(task) {
  return {
    id: task.id,
    status: task.status,
    prompt_start: firstLine(task.execution_prompt, PROMPT_START_CHARS),
    working_directory: task.working_directory,
    branch: task.branch,
    last_action_cache: task.last_action_cache,
    created_at: task.created_at,
    started_at: task.started_at,
    ended_at: task.ended_at,
    cost_usd: task.cost_usd,
  };
}

/** The rows with `row` put in its place: replaced when known, else added in id order (newest first). */
export function withRow(rows, row) {
  const at = rows.findIndex((known) => known.id <= row.id);
  if (at >= 0 && rows[at].id === row.id) return rows.map((known, i) => (i === at ? row : known));
  const next = [...rows];
  next.splice(at < 0 ? next.length : at, 0, row);
  return next;
}

/**
 * The counts once `row` is in `rows`: its old status loses one, its new one
 * gains one. Null when that cannot be told: a task older than every row
 * read, whose old status is unknown (the caller reads the counts again).
 */
export function countsWith(counts, rows, row) {
  const before = rows.find((known) => known.id === row.id);
  if (!before && rows.length > 0 && row.id < rows.at(-1).id) return null;
  if (before?.status === row.status) return counts;
  const next = { ...counts, [row.status]: (counts[row.status] ?? 0) + 1 };
  if (before) next[before.status] -= 1;
  return next;
}
