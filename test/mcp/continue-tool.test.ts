import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { callError, callOk, validPrompt, useStandaloneMcp } from '../support/mcp-process.js';

describe('MCP continue_task, standalone', () => {
  const mcp = useStandaloneMcp();

  it('follows up an ended task with a new task in its directory, and refuses one still working', async () => {
    const create = (mode: string) =>
      callOk<TaskSummary>(mcp.session.client, 'create_task', {
        execution_prompt: validPrompt(mode),
        working_directory: 'project',
      });
    // A hanging task never ends on its own: it is pending or running whenever it is asked.
    const hanging = await create('hang');
    const refused = await callError(mcp.session.client, 'continue_task', { task_id: hanging.task_id, message: 'Go on' });
    expect(refused.error).toMatchObject({ code: 'conflict' });
    expect(String(refused.error.message)).toMatch(new RegExp(`Task ${hanging.task_id} is (pending|running)`));
    await callOk(mcp.session.client, 'cancel_task', { task_id: hanging.task_id });

    const first = await create('success');
    await callOk(mcp.session.client, 'wait_for_tasks', { task_ids: [first.task_id], timeout_seconds: 50 });
    const followUp = await callOk<TaskSummary>(mcp.session.client, 'continue_task', {
      task_id: first.task_id,
      message: 'Now add a second line to notes/summary.txt',
    });
    expect(followUp.task_id).toBeGreaterThan(first.task_id);
    expect(followUp).toMatchObject({ terminal: false, working_directory: join(mcp.home.dir, 'project') });
    const listed = await callOk<{ tasks: TaskSummary[] }>(mcp.session.client, 'list_tasks', {});
    expect(listed.tasks.map((task) => task.task_id).sort()).toEqual([hanging.task_id, first.task_id, followUp.task_id]);
  });
});
