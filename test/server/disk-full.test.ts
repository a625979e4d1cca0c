/**
 * A full disk under the database: submits are refused with 507 and a message
 * that says where, reads go on, and submits work again once there is room,
 * without a restart. SQLite's page limit makes the database full exactly as
 * a full disk does (SQLITE_FULL on the write that needs a new page), on any
 * machine and without mounting a small filesystem.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import type { SqliteTaskStore } from '../../src/store/sqlite/sqlite-database.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

/** The store's own connection: the page limit is a setting of the connection that writes. */
function connectionOf(store: SqliteTaskStore): Database.Database {
  return (store as unknown as { ctx: { db: Database.Database } }).ctx.db;
}

function submit(prompt: string) {
  return api.app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { execution_prompt: prompt, working_directory: api.dir },
  });
}

describe('a full disk under the database', () => {
  it('answers submits 507 saying where, keeps reads working, and takes submits again once there is room', async () => {
    const first = (await submit('before the disk filled up')).json<Task>();
    const db = connectionOf(api.store);
    const room = db.pragma('max_page_count', { simple: true });
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);

    // Large enough to need pages the database cannot get.
    const refused = await submit('x'.repeat(64 * 1024));
    expect(refused.statusCode).toBe(507);
    expect(refused.json()).toEqual({
      error: {
        code: 'disk_full',
        message: `The disk holding the SQLite database ${join(api.dir, 'tasks.db')} is full, so nothing was stored. Free some space on it and try again.`,
      },
    });
    expect((await api.app.inject({ method: 'GET', url: `/api/v1/tasks/${first.id}` })).json()).toEqual(first);
    const list = await api.app.inject({ method: 'GET', url: '/api/v1/tasks' });
    expect(list.json<{ tasks: Task[] }>().tasks.map((task) => task.id)).toEqual([first.id]);

    db.pragma(`max_page_count = ${room}`);
    const accepted = await submit('x'.repeat(64 * 1024));
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json<Task>().id).toBeGreaterThan(first.id);
  });
});
