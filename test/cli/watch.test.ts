import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/cli/format.js';
import { watchTask } from '../../src/cli/watch.js';
import type { Task } from '../../src/core/task.js';
import type { TaskService } from '../../src/service/task-service.js';
import { NOW, task } from '../support/task-factory.js';

/** A service whose task goes through `states`, one per read. */
function scripted(states: Task[]): { service: TaskService; reads: () => number } {
  let reads = 0;
  const service = {
    get: async () => states[Math.min(reads++, states.length - 1)]!,
  } as unknown as TaskService;
  return { service, reads: () => reads };
}

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { out: { isTTY, columns: 40, write: (text: string) => writes.push(text) }, writes };
}

const running = task({ status: 'running', started_at: '2025-06-01T11:59:00.000Z' });
const states = [
  running,
  task({ ...running, last_action_cache: '[Read] package.json' }),
  task({ ...running, last_action_cache: '[Read] package.json' }),
  task({ ...running, last_action_cache: '[Write] src/index.ts' }),
  task({ ...running, status: 'completed', ended_at: '2025-06-01T12:00:00.000Z' }),
];

describe('watchTask', () => {
  it('prints a line per change when not on a terminal, and returns the ended task', async () => {
    const { service } = scripted(states.slice(1));
    const { out, writes } = recorder(false);
    const final = await watchTask(service, states[0]!, { out, style: PLAIN, pollMs: 1, now: () => NOW });
    expect(final.status).toBe('completed');
    expect(writes).toEqual([
      'Task 7  running\n',
      'Task 7  running  [Read] package.json\n',
      'Task 7  running  [Write] src/index.ts\n',
    ]);
  });

  it('rewrites one status line in place on a terminal, with the clock, and clears it at the end', async () => {
    const { service } = scripted(states.slice(3));
    const { out, writes } = recorder(true);
    await watchTask(service, states[0]!, { out, style: PLAIN, pollMs: 1, now: () => NOW });
    expect(writes).toEqual([
      '\r\x1b[2KTask 7  running  1m00s',
      // Cut to the terminal's 40 columns (less one), so the line never wraps and \r can rewrite it.
      '\r\x1b[2KTask 7  running  1m00s  [Write] src/in…',
      '\r\x1b[2K',
    ]);
  });

  it('stops watching, without ending the task, when aborted', async () => {
    const { service, reads } = scripted([running]);
    const { out } = recorder(false);
    const stop = new AbortController();
    const watching = watchTask(service, running, { out, style: PLAIN, pollMs: 1, signal: stop.signal });
    stop.abort();
    expect((await watching).status).toBe('running');
    expect(reads()).toBeLessThanOrEqual(1);
  });
});
