import { describe, expect, it } from 'vitest';
import { StoredLogs } from '../../src/logs/stored-log.js';
import type { TaskLogLine, TaskStore } from '../../src/store/task-store.js';

/** A store whose appendLog fails while `down` is set, recording each batch it was given. */
function flakyStore() {
  const batches: string[][] = [];
  const state = { down: false };
  const store = {
    async appendLog(lines: readonly TaskLogLine[]) {
      if (state.down) throw new Error('connection terminated');
      batches.push(lines.map((line) => `${line.taskId}:${line.text}`));
    },
  } as unknown as TaskStore;
  return { store, batches, state };
}

describe('StoredLogs', () => {
  it('writes the lines of every task pushed before a flush in one batch, each task in order', async () => {
    const { store, batches } = flakyStore();
    const logs = new StoredLogs(store);
    logs.push(7, { at: 1, text: 'a' });
    logs.push(8, { at: 1, text: 'x' });
    logs.push(7, { at: 2, text: 'b' });
    await logs.flush();
    expect(batches).toEqual([['7:a', '7:b', '8:x']]);
  });

  it('writes nothing more when flushes that ended together find their lines written', async () => {
    const { store, batches } = flakyStore();
    const logs = new StoredLogs(store);
    logs.push(7, { at: 1, text: 'a' });
    logs.push(8, { at: 1, text: 'x' });
    await Promise.all([logs.flush(), logs.flush()]);
    expect(batches).toEqual([['7:a', '8:x']]);
  });

  it('keeps the lines of a failed write and writes them, still in order, on the next flush', async () => {
    const { store, batches, state } = flakyStore();
    const logs = new StoredLogs(store);
    state.down = true;
    logs.push(7, { at: 1, text: 'during the outage' });
    await logs.flush();
    expect(batches).toEqual([]);

    state.down = false;
    logs.push(7, { at: 2, text: 'after it' });
    await logs.flush();
    expect(batches).toEqual([['7:during the outage', '7:after it']]);
  });
});
