import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { enqueueTask } from '../store/contract/fixture.js';

describe('TaskLogWriter', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function setUp() {
    const dir = mkdtempSync(join(tmpdir(), 'claude-worker-logs-'));
    dirs.push(dir);
    const store = await openSqliteStore(join(dir, 'tasks.db'));
    return { store, logs: new TaskLogs(join(dir, 'logs'), store), taskId: await enqueueTask(store) };
  }

  it('writes every line and event, in order, to the files and the lines to the store, by the time it is closed', async () => {
    const { store, logs, taskId } = await setUp();
    const writer = logs.openWriter(taskId);
    writer.line('=== attempt 1');
    writer.event({ type: 'system', n: 1 });
    writer.line('two\nlines');
    writer.event({ type: 'result', n: 2 });
    await writer.close();

    expect(readFileSync(logs.summaryPath(taskId), 'utf8')).toMatch(/^\S+ === attempt 1\n\S+ two ⏎ lines\n$/);
    const events = readFileSync(logs.eventsPath(taskId), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(events).toEqual([{ type: 'system', n: 1 }, { type: 'result', n: 2 }]);
    expect((await store.readLog(taskId, { tail: 10 })).map((line) => line.text)).toEqual(['=== attempt 1', 'two ⏎ lines']);
    await store.close();
  });

  it('creates no event log for a run that had no event (its agent never started)', async () => {
    const { store, logs, taskId } = await setUp();
    const writer = logs.openWriter(taskId);
    writer.line('failed (spawn_failed): no such directory');
    await writer.close();
    expect(existsSync(logs.summaryPath(taskId))).toBe(true);
    expect(existsSync(logs.eventsPath(taskId))).toBe(false);
    await store.close();
  });
});
