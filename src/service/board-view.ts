/** The board's rows (`GET /api/v1/board`): the tasks as the dashboard lists them, with the counts per status of all. */
import { boardQuerySchema, promptStart, type BoardPage, type BoardQuery, type BoardRow } from '../core/board.js';
import { parseOrThrow } from '../core/schemas.js';
import type { BoardRowRecord, TaskStore } from '../store/task-store.js';
import { newestFirstPage, pageFilter } from './paging.js';
import { iso } from './task-view.js';

export async function readBoard(store: TaskStore, query: BoardQuery): Promise<BoardPage> {
  const { status, q, limit, cursor } = parseOrThrow(boardQuerySchema, query);
  // The event id first: a change made while the rows are read is sent again after it, never missed.
  const lastEventId = await store.lastEventId();
  const [records, counts] = await Promise.all([
    store.listBoardRows({ ...pageFilter(limit, cursor), ...(status ? { status } : {}), ...(q ? { promptContains: q } : {}) }),
    store.countByStatus(),
  ]);
  const { page, next_cursor } = newestFirstPage(records, limit);
  return { rows: page.map(toBoardRow), next_cursor, counts, last_event_id: lastEventId };
}

function toBoardRow(record: BoardRowRecord): BoardRow {
  return {
    id: record.id,
    status: record.status,
    prompt_start: promptStart(record.prompt_head),
    working_directory: record.working_directory,
    branch: record.branch,
    last_action_cache: record.last_action_cache,
    created_at: new Date(record.created_at).toISOString(),
    started_at: iso(record.started_at),
    ended_at: iso(record.ended_at),
    cost_usd: record.cost_usd,
  };
}
