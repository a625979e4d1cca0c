/** `GET /api/v1/board`: the board's rows, its search over whole prompts, its paging, and the counts of all tasks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoardPage } from '../../src/core/board.js';
import type { Task } from '../../src/core/task.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

async function submit(prompt: string): Promise<Task> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { execution_prompt: prompt, working_directory: api.dir },
  });
  expect(response.statusCode).toBe(201);
  return response.json<Task>();
}

async function board(query = ''): Promise<BoardPage> {
  const response = await api.app.inject({ method: 'GET', url: `/api/v1/board${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<BoardPage>();
}

describe('GET /api/v1/board', () => {
  it("lists a row per task, newest first, with the start of each prompt, and every task's status in the counts", async () => {
    const first = await submit(`Fix the login page\n${'Step by step. '.repeat(1000)}`);
    const second = await submit(`${'Rename every variable '.repeat(20)}now`);
    await api.app.inject({ method: 'POST', url: `/api/v1/tasks/${first.id}/cancel` });

    const page = await board();
    expect(page.rows).toEqual([
      {
        id: second.id,
        status: 'pending',
        prompt_start: `${'Rename every variable '.repeat(20).slice(0, 119)}…`,
        working_directory: api.dir,
        branch: null,
        last_action_cache: null,
        created_at: second.created_at,
        started_at: null,
        ended_at: null,
        cost_usd: null,
      },
      expect.objectContaining({ id: first.id, status: 'cancelled', prompt_start: 'Fix the login page' }),
    ]);
    expect(page.next_cursor).toBeNull();
    expect(page.counts).toEqual({ waiting: 0, pending: 1, running: 0, completed: 0, failed: 0, cancelled: 1, skipped: 0 });
    // The cancel was the newest event when the rows were read.
    expect(page.last_event_id).toBe(await api.store.lastEventId());
    await submit('One more');
    expect(await api.store.readEvents(page.last_event_id, 10)).toEqual([expect.objectContaining({ type: 'task.submitted' })]);
  });

  it('searches whole prompts, past the start a row shows, and pages with the cursor while the counts stay those of all', async () => {
    const tasks: Task[] = [];
    for (let i = 0; i < 3; i++) tasks.push(await submit(`Task ${i}\nthen touch the NEEDLE file`));
    await submit('Something else');

    const found = await board('?q=needle&limit=2');
    expect(found.rows.map((row) => row.id)).toEqual([tasks[2]!.id, tasks[1]!.id]);
    expect(found.counts.pending).toBe(4);
    const older = await board(`?q=needle&limit=2&cursor=${found.next_cursor}`);
    expect(older.rows.map((row) => row.id)).toEqual([tasks[0]!.id]);
    expect(older.next_cursor).toBeNull();
    expect((await board('?q=50%25')).rows).toEqual([]);
  });

  it('refuses a bad query with every problem, naming the field', async () => {
    const response = await api.app.inject({ method: 'GET', url: `/api/v1/board?limit=1001&q=${'x'.repeat(501)}&sort=id` });
    expect(response.statusCode).toBe(400);
    const fields = (response.json() as { error: { issues: { field: string }[] } }).error.issues.map((issue) => issue.field);
    // An unknown parameter is reported on the query as a whole, as on every route.
    expect(fields.sort()).toEqual(['limit', 'q', 'query']);
  });
});
