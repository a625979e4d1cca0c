/**
 * MCP tools for task graphs: a planner submits the whole graph in one call
 * (tasks with the identifiers they depend on), reads its progress and may
 * cancel it; it waits for the tasks with wait_for_tasks like for any others.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import {
  FAILURE_POLICIES,
  MAX_ORCHESTRATION_TASKS,
  ORCHESTRATION_STATUSES,
  type OrchestrationDetail,
} from '../core/orchestration.js';
import { MAX_INITIAL_DELAY_SECONDS } from '../core/orchestration-schemas.js';
import { TASK_STATUSES } from '../core/task.js';
import { applyPromptPolicy, PromptPolicyError, type PolicyProblem } from './prompt-policy.js';
import { summarizeTask, taskSummarySchema } from './task-summary.js';
import { taskFieldsShape } from './task-fields.js';
import { registerCheckedTool } from './checked-tool.js';
import { toolSuccess } from './tool-result.js';
import type { McpToolsOptions } from './tool-options.js';

const graphTaskSchema = z.strictObject({
  identifier: z.string().describe('Unique name of this task in the graph, e.g. "schema"'),
  ...taskFieldsShape,
  depends_on: z.array(z.string()).optional().describe('Identifiers of the tasks that must end before this one starts'),
  initial_delay: z
    .int()
    .min(0)
    .max(MAX_INITIAL_DELAY_SECONDS)
    .optional()
    .describe('Seconds to wait after the dependencies ended'),
});

const orchestrationSummarySchema = z.object({
  orchestration_id: z.int(),
  name: z.string(),
  status: z.enum(ORCHESTRATION_STATUSES).describe('running until every task ended; then completed, failed or cancelled'),
  terminal: z.boolean(),
  counts: z.record(z.enum(TASK_STATUSES), z.int()),
  budget_usd: z.number().nullable().describe('The most its tasks may spend in all; null: no cap'),
  spent_usd: z.number().describe('What its tasks have cost so far'),
  task_ids: z.array(z.int()).describe('Pass these to wait_for_tasks'),
  tasks: z.array(taskSummarySchema.extend({ identifier: z.string().nullable(), depends_on: z.array(z.string()) })),
});

function summarizeOrchestration(orchestration: OrchestrationDetail): z.infer<typeof orchestrationSummarySchema> {
  return {
    orchestration_id: orchestration.id,
    name: orchestration.name,
    status: orchestration.status,
    terminal: orchestration.status !== 'running',
    counts: orchestration.counts,
    budget_usd: orchestration.budget_usd,
    spent_usd: orchestration.spent_usd,
    task_ids: orchestration.tasks.map((task) => task.id),
    tasks: orchestration.tasks.map((task) => ({
      ...summarizeTask(task),
      identifier: task.identifier,
      depends_on: task.depends_on,
    })),
  };
}

/** Every task through the prompt policy, its problems named by their place in the graph (`tasks[2].execution_prompt`). */
async function applyPolicyToGraph<T extends z.infer<typeof graphTaskSchema>>(tasks: T[], options: McpToolsOptions): Promise<T[]> {
  const problems: PolicyProblem[] = [];
  const checked = await Promise.all(
    tasks.map(async (task, i) => {
      try {
        return await applyPromptPolicy(task, options.policy, options.cwd);
      } catch (error) {
        if (!(error instanceof PromptPolicyError)) throw error;
        problems.push(...error.problems.map((problem) => ({ ...problem, field: `tasks[${i}].${problem.field}` })));
        return task;
      }
    }),
  );
  if (problems.length > 0) throw new PromptPolicyError(problems);
  return checked;
}

export function registerOrchestrationTools(server: McpServer, options: McpToolsOptions): void {
  const { service } = options;

  registerCheckedTool(
    server,
    'submit_orchestration',
    {
      title: 'Delegate a graph of dependent tasks',
      description:
        'Submits several tasks at once, where a task may depend on others (depends_on: their identifiers); it starts ' +
        'only after they ended, and its prompt then holds their status, result summary and working directory. ' +
        'Returns at once with every task id: wait for them with wait_for_tasks, or read progress with ' +
        'get_orchestration_status. failure_policy skip_dependents (default) skips every task after one that fails; ' +
        `continue runs them anyway. At most ${MAX_ORCHESTRATION_TASKS} tasks, no cycles. Every task follows the same ` +
        'prompt rules as create_task; a rejected graph lists every problem: fix them all and retry.',
      inputSchema: z.strictObject({
        tasks: z.array(graphTaskSchema).min(1).max(MAX_ORCHESTRATION_TASKS),
        name: z.string().optional().describe('What the graph is for; default "orchestration <id>"'),
        failure_policy: z.enum(FAILURE_POLICIES).optional(),
        pass_results: z.boolean().optional().describe("Add each dependency's outcome to a task's prompt (default true)"),
        key: z.string().optional().describe('Submitting the same key again returns the existing orchestration'),
        budget_usd: z
          .number()
          .positive()
          .optional()
          .describe('Once its tasks have spent this many US dollars, its running tasks are stopped and the rest skipped'),
        webhook_url: z
          .string()
          .optional()
          .describe('An http(s) URL that gets a signed POST when the graph or one of its tasks ends'),
      }),
      outputSchema: orchestrationSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ tasks, name, failure_policy, pass_results, key, budget_usd, webhook_url }) => {
      const { orchestration } = await service.submitOrchestration({
        name,
        failure_policy,
        pass_results,
        key,
        budget_usd,
        webhook_url,
        tasks: await applyPolicyToGraph(tasks, options),
      });
      return toolSuccess(summarizeOrchestration(orchestration));
    },
  );

  registerCheckedTool(
    server,
    'get_orchestration_status',
    {
      title: 'Check a graph of tasks',
      description:
        'Status of an orchestration and of each of its tasks (waiting for dependencies, running, result, error). ' +
        'To wait for its tasks to end, call wait_for_tasks with its task_ids instead of calling this repeatedly.',
      inputSchema: z.strictObject({ orchestration_id: z.int().positive().describe('Returned by submit_orchestration') }),
      outputSchema: orchestrationSummarySchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ orchestration_id }) => toolSuccess(summarizeOrchestration(await service.getOrchestration(orchestration_id))),
  );

  registerCheckedTool(
    server,
    'cancel_orchestration',
    {
      title: 'Cancel a graph of tasks',
      description:
        'Stops a whole orchestration: its running tasks are stopped, pending ones cancelled, waiting ones skipped. ' +
        'Tasks that already ended keep their outcome. Returns the orchestration as it is right after the request; ' +
        'running tasks end cancelled moments later.',
      inputSchema: z.strictObject({ orchestration_id: z.int().positive().describe('Returned by submit_orchestration') }),
      outputSchema: orchestrationSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ orchestration_id }) => toolSuccess(summarizeOrchestration(await service.cancelOrchestration(orchestration_id))),
  );
}
