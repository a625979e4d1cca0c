/**
 * A SQLite database whose write lock another process keeps past the busy
 * timeout: a submit answers 503 `store_unavailable`, naming the file, and
 * stores nothing.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let api: ApiFixture;

beforeEach(async () => {
  api = await createApiFixture();
});

afterEach(async () => {
  await api.close();
});

it('a submit while another process holds the write lock answers 503 naming the database, and stores nothing', async () => {
  const path = join(api.dir, 'tasks.db');
  const holder = new Database(path);
  holder.exec('BEGIN EXCLUSIVE');
  try {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { execution_prompt: 'Write the report', working_directory: api.dir },
    });
    expect(response.statusCode).toBe(503);
    const { error } = response.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain(`The database ${path} cannot be reached`);
    expect(error.message).toContain('nothing was stored');
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  expect((await api.store.list({ limit: 10 })).length).toBe(0);
}, 20_000);
