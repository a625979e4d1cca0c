import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { callError, callOk, validPrompt, useStandaloneMcp } from '../support/mcp-process.js';

interface OrchestrationSummary {
  orchestration_id: number;
  name: string;
  status: string;
  terminal: boolean;
  counts: Record<string, number>;
  task_ids: number[];
  tasks: (TaskSummary & { identifier: string; depends_on: string[] })[];
}

describe('MCP orchestration tools, standalone', () => {
  const mcp = useStandaloneMcp();

  const graphTask = (identifier: string, depends_on: string[] = [], mode = 'success') => ({
    identifier,
    depends_on,
    execution_prompt: validPrompt(mode),
    working_directory: 'project',
  });

  it('submits a whole graph in one call; wait_for_tasks waits through waiting tasks to the end', async () => {
    const submitted = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      name: 'mcp diamond',
      tasks: [graphTask('a'), graphTask('b', ['a']), graphTask('c', ['a']), graphTask('d', ['b', 'c'])],
    });
    expect(submitted).toMatchObject({ status: 'running', terminal: false });
    expect(submitted.tasks.map((t) => [t.identifier, t.status, t.mcp_status])).toEqual([
      ['a', 'pending', 'working'],
      ['b', 'waiting', 'working'],
      ['c', 'waiting', 'working'],
      ['d', 'waiting', 'working'],
    ]);
    expect(submitted.tasks[3]!.working_directory).toBe(join(mcp.home.dir, 'project'));
    expect(submitted.tasks[0]!.required_labels).toEqual({});

    let working = submitted.task_ids;
    while (working.length > 0) {
      const waited = await callOk<{ working_task_ids: number[] }>(mcp.session.client, 'wait_for_tasks', {
        task_ids: working,
        timeout_seconds: 20,
      });
      working = waited.working_task_ids;
    }
    const status = await callOk<OrchestrationSummary>(mcp.session.client, 'get_orchestration_status', {
      orchestration_id: submitted.orchestration_id,
    });
    expect(status).toMatchObject({ status: 'completed', terminal: true });
    expect(status.counts.completed).toBe(4);
  });

  it('gives each task of a graph its required labels', async () => {
    const submitted = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      name: 'labelled',
      tasks: [{ ...graphTask('train'), required_labels: { gpu: 'true' } }, graphTask('report', ['train'])],
    });
    expect(submitted.tasks.map((t) => t.required_labels)).toEqual([{ gpu: 'true' }, {}]);
    const waited = await callOk<{ tasks: TaskSummary[] }>(mcp.session.client, 'wait_for_tasks', {
      task_ids: [submitted.task_ids[0]],
      timeout_seconds: 1,
    });
    // No worker here has gpu=true.
    expect(waited.tasks[0]!.status).toBe('pending');
    const cancelled = await callOk<OrchestrationSummary>(mcp.session.client, 'cancel_orchestration', {
      orchestration_id: submitted.orchestration_id,
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', terminal: true });
    expect(cancelled.tasks.map((t) => t.status)).toEqual(['cancelled', 'skipped']);
  });

  it('names a graph submitted without a name after its id', async () => {
    const submitted = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      // No worker here has gpu=true: the task stays pending until the cancel.
      tasks: [{ ...graphTask('only'), required_labels: { gpu: 'true' } }],
    });
    expect(submitted.name).toBe(`orchestration ${submitted.orchestration_id}`);
    await callOk(mcp.session.client, 'cancel_orchestration', { orchestration_id: submitted.orchestration_id });
  });

  it('refuses a key already used for another graph, naming what differs', async () => {
    const first = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      name: 'keyed',
      key: 'mcp-key-1',
      tasks: [graphTask('a'), graphTask('b', ['a'])],
    });
    const refused = await callError(mcp.session.client, 'submit_orchestration', {
      name: 'keyed',
      key: 'mcp-key-1',
      tasks: [graphTask('a'), graphTask('b')],
    });
    expect(refused.error).toMatchObject({
      code: 'idempotency_conflict',
      issues: [{ field: 'tasks[1].depends_on', message: `differs from orchestration ${first.orchestration_id}` }],
    });
    expect(refused.error.message).toMatch(
      /^This idempotency key was already used for orchestration \d+, which differs in tasks\[1\]\.depends_on\. Nothing was stored\./,
    );
  });

  it('skips the tasks after a failed one, which wait_for_tasks reports as ended', async () => {
    const submitted = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      tasks: [graphTask('broken', [], 'error'), graphTask('after', ['broken'])],
    });
    let working = submitted.task_ids;
    while (working.length > 0) {
      working = (await callOk<{ working_task_ids: number[] }>(mcp.session.client, 'wait_for_tasks', { task_ids: working }))
        .working_task_ids;
    }
    const status = await callOk<OrchestrationSummary>(mcp.session.client, 'get_orchestration_status', {
      orchestration_id: submitted.orchestration_id,
    });
    expect(status.status).toBe('failed');
    expect(status.tasks.map((t) => [t.identifier, t.status, t.mcp_status, t.terminal])).toEqual([
      ['broken', 'failed', 'failed', true],
      ['after', 'skipped', 'cancelled', true],
    ]);
  });

  it('rejects a graph listing every problem: prompt rules per task, and the graph rules', async () => {
    const short = { ...graphTask('short'), execution_prompt: 'Fix it' };
    const policy = await callError(mcp.session.client, 'submit_orchestration', { tasks: [graphTask('a'), short] });
    expect((policy.error.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'tasks[1].execution_prompt',
      'tasks[1].execution_prompt',
    ]);

    const cyclic = await callError(mcp.session.client, 'submit_orchestration', {
      tasks: [graphTask('a', ['b']), graphTask('b', ['a']), graphTask('c', ['nope'])],
    });
    expect(cyclic.error.issues).toEqual([
      { field: 'tasks[2].depends_on[0]', message: expect.stringContaining('no task has the identifier "nope"') },
      { field: 'tasks[1].depends_on[0]', message: 'cycle: a -> b -> a' },
    ]);
  });
});
