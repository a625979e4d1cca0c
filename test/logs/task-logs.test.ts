import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { enqueueTask } from '../store/contract/fixture.js';
import { waitFor } from '../support/wait.js';

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
    const events = readFileSync(logs.eventsPath(taskId), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toEqual([
      { type: 'system', n: 1 },
      { type: 'result', n: 2 },
    ]);
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

  it('goes on when its files cannot be written (a full disk): the store keeps every line, and a note says where each file stops', async () => {
    const { store, logs, taskId } = await setUp();
    // /dev/full fails every write with ENOSPC, as a file on a full disk does.
    mkdirSync(logs.dir, { recursive: true });
    symlinkSync('/dev/full', logs.summaryPath(taskId));
    symlinkSync('/dev/full', logs.eventsPath(taskId));
    const writer = logs.openWriter(taskId);
    writer.line('=== attempt 1');
    writer.event({ type: 'system' });
    const texts = async () => (await store.readLog(taskId, { tail: 10 })).map((line) => line.text);
    // The files fail at their first batch, while the run goes on.
    await waitFor(async () => (await texts()).filter((text) => text.includes('no space left on device')).length === 2, {
      what: 'both notes',
    });
    writer.line('still running');
    await writer.close();

    const stored = await texts();
    expect(stored[0]).toBe('=== attempt 1');
    expect(stored.slice(1, 3).sort()).toEqual([
      `[log] ${logs.eventsPath(taskId)} could not be written (ENOSPC: no space left on device, write); this file stops here, the log goes on in the database`,
      `[log] ${logs.summaryPath(taskId)} could not be written (ENOSPC: no space left on device, write); this file stops here, the log goes on in the database`,
    ]);
    expect(stored[3]).toBe('still running');
    await store.close();
  });
});
