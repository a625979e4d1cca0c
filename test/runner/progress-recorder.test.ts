import { describe, expect, it } from 'vitest';
import { ProgressRecorder } from '../../src/runner/progress-recorder.js';
import type { Lease, TaskProgress, TaskStore } from '../../src/store/task-store.js';

function recordingStore() {
  const writes: TaskProgress[] = [];
  const store = {
    async recordProgress(_lease: Lease, progress: TaskProgress) {
      writes.push(progress);
      return true;
    },
  } as unknown as TaskStore;
  return { store, writes };
}

const lease: Lease = { taskId: 1, token: 't' };

describe('ProgressRecorder', () => {
  it('merges what arrives between writes into one write with the latest values', async () => {
    const { store, writes } = recordingStore();
    const recorder = new ProgressRecorder(store, lease);
    recorder.record({ session_id: 's1', last_action_cache: '[Read] a.ts' });
    recorder.record({ last_action_cache: '[Write] a.ts' });
    await recorder.flush();
    expect(writes).toEqual([{ session_id: 's1', last_action_cache: '[Write] a.ts' }]);
    await recorder.flush();
    expect(writes).toHaveLength(1);
  });

  it('writes on its own after a short while, and survives a failing store', async () => {
    const writes: TaskProgress[] = [];
    let fail = true;
    const store = {
      async recordProgress(_lease: Lease, progress: TaskProgress) {
        writes.push(progress);
        if (fail) throw new Error('database is locked');
        return true;
      },
    } as unknown as TaskStore;
    const recorder = new ProgressRecorder(store, lease);
    recorder.record({ last_action_cache: '[Bash] npm test' });
    await expect.poll(() => writes.length).toBe(1);
    fail = false;
    recorder.record({ last_action_cache: '[Edit] b.ts' });
    await recorder.flush();
    expect(writes.map((w) => w.last_action_cache)).toEqual(['[Bash] npm test', '[Edit] b.ts']);
  });
});
