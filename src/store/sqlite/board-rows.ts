/** The board's rows: a few columns and the head of the prompt, far cheaper to read than whole tasks. */
import { listBoardRows as boardRowsSql, listWhere } from '../sql/task-lists.js';
import type { BoardRowRecord, ListFilter } from '../task-store.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

export function listBoardRows(ctx: SqliteContext, filter: ListFilter): BoardRowRecord[] {
  const { where, params } = listWhere(filter);
  return ctx.statement(boardRowsSql(SQLITE_DIALECT, where)).all(params) as BoardRowRecord[];
}
