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
  TOOL_NAMES,
  validPrompt,
  type McpSession,
  type McpTestHome,
} from '../support/mcp-process.js';

const TOOLS = TOOL_NAMES;

interface WaitResult {
  all_terminal: boolean;
  waited_seconds: number;
  working_task_ids: number[];
  tasks: TaskSummary[];
}

describe('MCP server over stdio, standalone', () => {
  let home: McpTestHome;
  let session: McpSession;
  let project: string;

  beforeAll(async () => {
    // Nothing listens at the server URL, so the default mode is standalone.
    home = createTestHome({ CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}` });
    project = join(home.dir, 'project');
    mkdirSync(project);
    session = await openMcpSession(home.env, home.dir);
  });
  afterAll(async () => {
    await session?.close();
    home?.remove();
  });

  const createTask = (mode: string) =>
    callOk<TaskSummary>(session.client, 'create_task', { execution_prompt: validPrompt(mode), working_directory: 'project' });

  it('lists every tool with an input and an output schema and a description that teaches waiting', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const create = tools.find((tool) => tool.name === 'create_task')!;
    expect(create.inputSchema.required).toEqual(['execution_prompt', 'working_directory']);
    expect(create.description).toContain('wait_for_tasks');
  });

  it('reports standalone mode and the strict policy in check_api_health', async () => {
    const health = await callOk(session.client, 'check_api_health', {});
    expect(health).toMatchObject({ status: 'healthy', mode: 'standalone', prompt_policy: 'strict' });
  });

  it('rejects a vague task with every problem listed, and creates nothing', async () => {
    const { error } = await callError(session.client, 'create_task', {
      execution_prompt: 'fix it',
      working_directory: 'missing',
    });
    expect(error.code).toBe('validation_failed');
    const problems = error.problems as { field: string; current_value: string; hint: string; example: string }[];
    expect(problems.map((p) => p.field)).toEqual(['execution_prompt', 'execution_prompt', 'working_directory']);
    expect(problems.every((p) => p.hint && p.example && p.current_value)).toBe(true);
    const { tasks } = await callOk<{ tasks: TaskSummary[] }>(session.client, 'list_tasks', {});
    expect(tasks).toEqual([]);
  });

  it('runs several tasks in parallel; wait_for_tasks returns when all completed and results read back', async () => {
    const created = await Promise.all([createTask('success'), createTask('success'), createTask('slow')]);
    for (const task of created) {
      expect(task.mcp_status).toBe('working');
      expect(task.working_directory).toBe(project);
    }
    const ids = created.map((task) => task.task_id);
    const waited = await callOk<WaitResult>(session.client, 'wait_for_tasks', { task_ids: ids, timeout_seconds: 45 });
    expect(waited.all_terminal).toBe(true);
    // Returned when the tasks ended, not at the timeout.
    expect(waited.waited_seconds).toBeLessThan(45);
    expect(waited.working_task_ids).toEqual([]);
    expect(waited.tasks.map((task) => [task.task_id, task.status, task.mcp_status])).toEqual(
      ids.map((id) => [id, 'completed', 'completed']),
    );

    const status = await callOk<TaskSummary>(session.client, 'get_task_status', { task_id: ids[0] });
    expect(status.result_summary).toBeTruthy();
    expect(status.terminal).toBe(true);
    const logs = await callOk<{ log: string }>(session.client, 'get_task_logs', { task_id: ids[0], tail_lines: 50 });
    expect(logs.log.trim()).not.toBe('');
    const listed = await callOk<{ tasks: TaskSummary[] }>(session.client, 'list_tasks', { status: 'completed' });
    expect(listed.tasks.map((task) => task.task_id).sort()).toEqual([...ids].sort());
  });

  it('wait_for_tasks returns at its timeout with a hanging task still working; cancel_task then ends it', async () => {
    const hanging = await createTask('hang');
    const waited = await callOk<WaitResult>(session.client, 'wait_for_tasks', {
      task_ids: [hanging.task_id],
      timeout_seconds: 1,
    });
    expect(waited.all_terminal).toBe(false);
    expect(waited.working_task_ids).toEqual([hanging.task_id]);
    expect(waited.tasks[0]!.mcp_status).toBe('working');

    await callOk(session.client, 'cancel_task', { task_id: hanging.task_id });
    const after = await callOk<WaitResult>(session.client, 'wait_for_tasks', {
      task_ids: [hanging.task_id],
      timeout_seconds: 30,
    });
    expect(after.all_terminal).toBe(true);
    expect(after.tasks[0]).toMatchObject({ status: 'cancelled', mcp_status: 'cancelled' });
  });

  it('passes required labels on: the task waits for a worker that has them, and a bad label name is refused', async () => {
    const labelled = await callOk<TaskSummary>(session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      required_labels: { gpu: 'true' },
    });
    expect(labelled.required_labels).toEqual({ gpu: 'true' });
    // This standalone runner has no labels: nothing takes the task.
    const waited = await callOk<WaitResult>(session.client, 'wait_for_tasks', {
      task_ids: [labelled.task_id],
      timeout_seconds: 1,
    });
    expect(waited.tasks[0]).toMatchObject({ status: 'pending', mcp_status: 'working' });
    await callOk(session.client, 'cancel_task', { task_id: labelled.task_id });

    const { error } = await callError(session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      required_labels: { 'no spaces': 'x' },
    });
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'required_labels.no spaces' })]);
  });

  it('refuses a __proto__ key in required_labels by name, like REST, and creates nothing', async () => {
    const { error } = await callError(session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      required_labels: JSON.parse('{"__proto__": {"gpu": "true"}}') as Record<string, string>,
    });
    expect(error).toMatchObject({
      code: 'validation_failed',
      issues: [
        {
          field: 'required_labels.__proto__',
          message: 'the key "__proto__" is refused: it would change the prototype of the object that holds it',
        },
      ],
    });
    const { tasks } = await callOk<{ tasks: TaskSummary[] }>(session.client, 'list_tasks', { status: 'pending' });
    expect(tasks).toEqual([]);
  });

  it('refuses unknown or misspelt arguments instead of dropping them', async () => {
    const { error } = await callError(session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      timeout_second: 5,
    });
    expect(error).toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'arguments', message: 'unknown field(s): timeout_second' }],
    });
    const status = await callError(session.client, 'get_task_status', { task_id: 1, verbose: true });
    expect(status.error.issues).toEqual([{ field: 'arguments', message: 'unknown field(s): verbose' }]);
    const graph = await callError(session.client, 'submit_orchestration', {
      tasks: [{ identifier: 'a', execution_prompt: validPrompt('success'), working_directory: 'project', colour: 'red' }],
    });
    expect(graph.error.issues).toEqual([{ field: 'tasks[0]', message: 'unknown field(s): colour' }]);
  });

  it('answers an unknown task id with a not_found tool error', async () => {
    const { error } = await callError(session.client, 'get_task_status', { task_id: 99_999 });
    expect(error.code).toBe('not_found');
    const waited = await callError(session.client, 'wait_for_tasks', { task_ids: [99_999], timeout_seconds: 1 });
    expect(waited.error.code).toBe('not_found');
  });
});
