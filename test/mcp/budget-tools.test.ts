import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { callError, callOk, validPrompt, useStandaloneMcp } from '../support/mcp-process.js';

interface OrchestrationSummary {
  orchestration_id: number;
  status: string;
  budget_usd: number | null;
  spent_usd: number;
  task_ids: number[];
  tasks: (TaskSummary & { identifier: string })[];
}

describe('MCP budgets, standalone', () => {
  const mcp = useStandaloneMcp();

  it("passes a task's max_budget_usd through and refuses a negative one, storing nothing", async () => {
    const task = await callOk<TaskSummary>(mcp.session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      max_budget_usd: 0.75,
    });
    expect(task.max_budget_usd).toBe(0.75);

    const refused = await callError(mcp.session.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: 'project',
      max_budget_usd: -1,
    });
    expect(JSON.stringify(refused)).toMatch(/max_budget_usd/);
    const listed = await callOk<{ tasks: TaskSummary[] }>(mcp.session.client, 'list_tasks', {});
    expect(listed.tasks.map((t) => t.task_id)).toEqual([task.task_id]);
  });

  it('stops a graph once its tasks spent its budget_usd, and shows what they spent', async () => {
    // Each run of the fake agent reports $0.0123: the first task spends the whole budget.
    const submitted = await callOk<OrchestrationSummary>(mcp.session.client, 'submit_orchestration', {
      budget_usd: 0.01,
      tasks: [
        { identifier: 'first', execution_prompt: validPrompt('success'), working_directory: 'project', max_budget_usd: 1 },
        { identifier: 'second', depends_on: ['first'], execution_prompt: validPrompt('success'), working_directory: 'project' },
      ],
    });
    expect(submitted).toMatchObject({ budget_usd: 0.01, spent_usd: 0 });
    expect(submitted.tasks[0]!.max_budget_usd).toBe(1);

    let working = submitted.task_ids;
    while (working.length > 0) {
      working = (await callOk<{ working_task_ids: number[] }>(mcp.session.client, 'wait_for_tasks', { task_ids: working }))
        .working_task_ids;
    }
    const status = await callOk<OrchestrationSummary>(mcp.session.client, 'get_orchestration_status', {
      orchestration_id: submitted.orchestration_id,
    });
    expect(status).toMatchObject({ status: 'failed', budget_usd: 0.01, spent_usd: 0.0123 });
    expect(status.tasks.map((t) => [t.identifier, t.status, t.error_code])).toEqual([
      ['first', 'completed', null],
      ['second', 'skipped', 'budget_exceeded'],
    ]);
  });
});
