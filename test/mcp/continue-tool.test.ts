import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { freePort } from '../support/server-process.js';
import {
  callError,
  callOk,
  createTestHome,
  openMcpSession,
  validPrompt,
  type McpSession,
  type McpTestHome,
} from '../support/mcp-process.js';

describe('MCP continue_task, standalone', () => {
  let home: McpTestHome;
  let session: McpSession;

  beforeAll(async () => {
    home = createTestHome({ CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}` });
    mkdirSync(join(home.dir, 'project'));
    session = await openMcpSession(home.env, home.dir);
  });
  afterAll(async () => {
    await session?.close();
    home?.remove();
  });

  it('follows up an ended task with a new task in its directory, and refuses one still working', async () => {
    const create = (mode: string) =>
      callOk<TaskSummary>(session.client, 'create_task', { execution_prompt: validPrompt(mode), working_directory: 'project' });
    // A hanging task never ends on its own: it is pending or running whenever it is asked.
    const hanging = await create('hang');
    const refused = await callError(session.client, 'continue_task', { task_id: hanging.task_id, message: 'Go on' });
    expect(refused.error).toMatchObject({ code: 'conflict' });
    expect(String(refused.error.message)).toMatch(new RegExp(`Task ${hanging.task_id} is (pending|running)`));
    await callOk(session.client, 'cancel_task', { task_id: hanging.task_id });

    const first = await create('success');
    await callOk(session.client, 'wait_for_tasks', { task_ids: [first.task_id], timeout_seconds: 50 });
    const followUp = await callOk<TaskSummary>(session.client, 'continue_task', {
      task_id: first.task_id,
      message: 'Now add a second line to notes/summary.txt',
    });
    expect(followUp.task_id).toBeGreaterThan(first.task_id);
    expect(followUp).toMatchObject({ terminal: false, working_directory: join(home.dir, 'project') });
    const listed = await callOk<{ tasks: TaskSummary[] }>(session.client, 'list_tasks', {});
    expect(listed.tasks.map((task) => task.task_id).sort()).toEqual([hanging.task_id, first.task_id, followUp.task_id]);
  });
});
