import { describe, expect, it } from 'vitest';
import { followUpOf } from '../../src/runner/follow-up.js';
import type { TaskRecord } from '../../src/store/task-store.js';

const record = (fields: Partial<TaskRecord>) => fields as TaskRecord;
const storeOf = (...tasks: TaskRecord[]) => ({ get: async (id: number) => tasks.find((t) => t.id === id) ?? null });

describe('followUpOf', () => {
  it("gives the continued task's session, and a start-over prompt with what it was asked and reported", async () => {
    const parent = record({
      id: 4,
      status: 'completed',
      session_id: 'abc',
      execution_prompt: 'Write the parser',
      final_summary: 'The parser is in src/parse.ts.',
      error_message: null,
    });
    const task = record({ id: 5, continues: 4, branch: 'claude-worker/4-write-the-parser', execution_prompt: 'Now add tests' });
    const followUp = await followUpOf(storeOf(parent), task);
    expect(followUp).toMatchObject({ taskId: 4, sessionId: 'abc' });
    const prompt = followUp!.startOverPrompt;
    for (const part of [
      'Write the parser',
      'It ended completed',
      'The parser is in src/parse.ts.',
      'claude-worker/4-write-the-parser',
    ]) {
      expect(prompt).toContain(part);
    }
    expect(prompt.endsWith('Now add tests')).toBe(true);
  });

  it('is null for a task that continues none, or one whose parent is gone', async () => {
    expect(await followUpOf(storeOf(), record({ id: 1, continues: null }))).toBeNull();
    expect(await followUpOf(storeOf(), record({ id: 2, continues: 1 }))).toBeNull();
  });
});
