import { describe, expect, it } from 'vitest';
import { StoredLog } from '../../src/logs/stored-log.js';
import type { NewLogLine, TaskStore } from '../../src/store/task-store.js';

/** A store whose appendLog fails while `down` is set, recording what it was given. */
function flakyStore() {
  const batches: { taskId: number; texts: string[] }[] = [];
  const state = { down: false };
  const store = {
    async appendLog(taskId: number, lines: readonly NewLogLine[]) {
      if (state.down) throw new Error('connection terminated');
      batches.push({ taskId, texts: lines.map((line) => line.text) });
    },
  } as unknown as TaskStore;
  return { store, batches, state };
}

describe('StoredLog', () => {
  it('writes the lines pushed before close in one batch, in order', async () => {
    const { store, batches } = flakyStore();
    const log = new StoredLog(store, 7);
    for (const text of ['a', 'b', 'c']) log.push({ at: 1, text });
    await log.close();
    expect(batches).toEqual([{ taskId: 7, texts: ['a', 'b', 'c'] }]);
  });

  it('keeps the lines of a failed write and writes them, still in order, on the next flush', async () => {
    const { store, batches, state } = flakyStore();
    const log = new StoredLog(store, 7);
    state.down = true;
    log.push({ at: 1, text: 'during the outage' });
    await log.close();
    expect(batches).toEqual([]);

    state.down = false;
    log.push({ at: 2, text: 'after it' });
    await log.close();
    expect(batches).toEqual([{ taskId: 7, texts: ['during the outage', 'after it'] }]);
  });
});
