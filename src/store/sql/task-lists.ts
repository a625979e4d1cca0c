/**
 * The statements that list tasks, shared by both databases: the filter of a
 * list page (API list and board alike) and the board's narrow rows.
 */
import { PROMPT_START_CHARS } from '../../core/board.js';
import type { Dialect } from '../dialect.js';
import type { ListFilter } from '../task-store.js';

/**
 * The conditions of a ListFilter, and their parameters: only the ones the
 * filter uses go into the statement (eight shapes, each compiled once), so
 * the database picks the (status, id) index or a backwards walk of the
 * primary key instead of a scan around "@x IS NULL OR".
 */
export function listWhere(filter: ListFilter): { where: string; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  if (filter.status !== undefined) {
    conditions.push('status = @status');
    params.status = filter.status;
  }
  if (filter.beforeId !== undefined) {
    conditions.push('id < @before_id');
    params.before_id = filter.beforeId;
  }
  if (filter.promptContains !== undefined) {
    // lower() on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
    conditions.push(`lower(execution_prompt) LIKE lower(@prompt_contains) ESCAPE '\\'`);
    params.prompt_contains = containsPattern(filter.promptContains);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** `text` anywhere in a value, as a LIKE pattern: its own `%`, `_` and backslash match themselves. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (special) => `\\${special}`)}%`;
}

/** How much of a prompt a board row reads: one character past the start it shows, to tell that it goes on. */
export const PROMPT_HEAD_CHARS = PROMPT_START_CHARS + 1;

/** The board's rows (BoardRowRecord) of the tasks `where` (from listWhere) picks, newest first. */
export function listBoardRows(d: Dialect, where: string): string {
  const times = ['created_at', 'started_at', 'ended_at'].map((column) => `${d.epochMs(column)} AS ${column}`).join(', ');
  return `
  SELECT id, status, substr(execution_prompt, 1, ${PROMPT_HEAD_CHARS}) AS prompt_head, working_directory, branch,
         last_action_cache, ${times}, cost_usd
    FROM tasks ${where} ORDER BY id DESC LIMIT @limit`;
}
