import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { callError, callOk, validPrompt, useStandaloneMcp } from '../support/mcp-process.js';

interface DiffResult {
  task_id: number;
  diff: string;
  truncated: boolean;
  total_bytes: number;
  note?: string;
  files: { path: string; insertions: number; deletions: number }[];
}

describe('MCP review tools, standalone', () => {
  let repo: string;
  const mcp = useStandaloneMcp(async (dir: string) => {
    repo = await makeRepository(dir);
  });

  it('show each task its diff, bounded with a note, merge the first and refuse the conflicting second naming the file', async () => {
    // Two modes: the fake agent writes the same file with the start of each prompt, so the contents differ.
    const ids: number[] = [];
    for (const mode of ['success', 'slow']) {
      const task = await callOk<TaskSummary>(mcp.session.client, 'create_task', {
        execution_prompt: validPrompt(mode),
        working_directory: 'project',
      });
      ids.push(task.task_id);
    }
    const waited = await callOk<{ all_terminal: boolean }>(mcp.session.client, 'wait_for_tasks', {
      task_ids: ids,
      timeout_seconds: 50,
    });
    expect(waited.all_terminal).toBe(true);
    const [first, second] = ids as [number, number];

    const diff = await callOk<DiffResult>(mcp.session.client, 'get_task_diff', { task_id: first });
    expect(diff).toMatchObject({
      task_id: first,
      truncated: false,
      files: [{ path: 'fake-output.txt', insertions: 1, deletions: 0 }],
    });
    expect(diff.diff).toContain('+written by fake claude for: [fake:success]');
    expect(diff.note).toBeUndefined();
    const cut = await callOk<DiffResult>(mcp.session.client, 'get_task_diff', { task_id: second, max_bytes: 50 });
    expect(cut.truncated).toBe(true);
    expect(cut.note).toMatch(/^The diff is \d+ bytes; 50 were shown\. Call again with a larger max_bytes/);
    expect(cut.files).toHaveLength(1);

    const merged = await callOk<{ fast_forward: boolean; into: string; task: TaskSummary }>(mcp.session.client, 'merge_task', {
      task_id: first,
    });
    expect(merged).toMatchObject({ fast_forward: true, into: 'main', task: { task_id: first } });
    const head = gitIn(repo, 'rev-parse', 'HEAD');

    const { error } = await callError(mcp.session.client, 'merge_task', { task_id: second });
    expect(error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/conflicts in fake-output\.txt\. Nothing was changed/),
    });
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuse arguments they do not know', async () => {
    const { error } = await callError(mcp.session.client, 'merge_task', { task_id: 1, fast_forward_only: true });
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(error)).toContain('fast_forward_only');
  });
});
