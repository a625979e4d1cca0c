/** The board's rows: a few columns and the head of the prompt, far cheaper to read than whole tasks. */
import { listBoardRows as boardRowsSql, listWhere } from '../sql/task-lists.js';
import type { BoardRowRecord, ListFilter } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

export async function listBoardRows(ctx: PostgresContext, filter: ListFilter): Promise<BoardRowRecord[]> {
  const { where, params } = listWhere(filter);
  return ctx.rows<BoardRowRecord>(boardRowsSql(POSTGRES_DIALECT, where), params);
}
