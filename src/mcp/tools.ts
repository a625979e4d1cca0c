/**
 * The MCP server: its tools over a TaskService, the same in standalone mode
 * (a local service) and in proxy mode (the HTTP client of a server). The
 * descriptions are written for a planning agent: delegate several tasks at
 * once, keep working, then block in wait_for_tasks instead of polling.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { MAX_LIST_LIMIT } from '../core/task.js';
import { TASK_STATUSES } from '../core/task.js';
import { MAX_WAIT_SECONDS } from '../service/wait-for-tasks.js';
import { VERSION } from '../version.js';
import { registerContinueTool } from './continue-tool.js';
import { registerOrchestrationTools } from './orchestration-tools.js';
import { registerReviewTools } from './review-tools.js';
import { applyPromptPolicy, MIN_EXECUTION_PROMPT_CHARS } from './prompt-policy.js';
import type { McpToolsOptions } from './tool-options.js';
import { summarizeTask, taskSummarySchema } from './task-summary.js';
import { taskFieldsShape } from './task-fields.js';
import { registerCheckedTool } from './checked-tool.js';
import { toolSuccess } from './tool-result.js';

const taskId = z.int().positive().describe('A task id returned by create_task');
const DEFAULT_WAIT_SECONDS = 30;
const DEFAULT_TAIL_LINES = 100;

export function createMcpServer(options: McpToolsOptions): McpServer {
  const { service } = options;
  const server = new McpServer({ name: 'claude-worker', version: VERSION });

  registerCheckedTool(
    server,
    'create_task',
    {
      title: 'Delegate a task to a Claude Code worker',
      description:
        'Starts a Claude Code worker on a task in the background and returns its task_id at once; the task runs ' +
        'for minutes while you keep working. Delegate independent tasks in parallel: call create_task once per task ' +
        '(several calls in a row), then call wait_for_tasks with all their ids and read the results. ' +
        `The worker starts with no context: the execution_prompt must be at least ${MIN_EXECUTION_PROMPT_CHARS} characters ` +
        'and name the files or directories to work on (paths with / or \\), with what to change and how to verify it. ' +
        'If the task is rejected, the error lists every problem with a hint and an example: fix them all and retry.',
      inputSchema: z.strictObject(taskFieldsShape),
      outputSchema: taskSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (input) => {
      const task = await applyPromptPolicy(input, options.policy, options.cwd);
      const { task: created } = await service.submit(task);
      return toolSuccess(summarizeTask(created));
    },
  );

  registerCheckedTool(
    server,
    'get_task_status',
    {
      title: 'Check one task',
      description:
        'Status, last action, result summary, error and cost of one task. To wait for tasks to finish, call ' +
        'wait_for_tasks instead of calling this repeatedly.',
      inputSchema: z.strictObject({ task_id: taskId }),
      outputSchema: taskSummarySchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ task_id }) => toolSuccess(summarizeTask(await service.get(task_id))),
  );

  registerCheckedTool(
    server,
    'list_tasks',
    {
      title: 'List tasks',
      description: 'Tasks, newest first, optionally only those with one status.',
      inputSchema: z.strictObject({
        limit: z.int().min(1).max(MAX_LIST_LIMIT).optional().describe('How many (default 20)'),
        status: z.enum(TASK_STATUSES).optional(),
      }),
      outputSchema: z.object({ tasks: z.array(taskSummarySchema), has_more: z.boolean() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ limit, status }) => {
      const page = await service.list({ limit: limit ?? 20, ...(status ? { status } : {}) });
      return toolSuccess({ tasks: page.tasks.map(summarizeTask), has_more: page.next_cursor !== null });
    },
  );

  registerCheckedTool(
    server,
    'get_task_logs',
    {
      title: "Read a task's log",
      description: 'The readable log of a task (one line per tool use or message), to see what a worker did or why it failed.',
      inputSchema: z.strictObject({
        task_id: taskId,
        tail_lines: z.int().min(1).max(100_000).optional().describe(`Only the last N lines (default ${DEFAULT_TAIL_LINES})`),
      }),
      outputSchema: z.object({ task_id: z.int(), log: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ task_id, tail_lines }) =>
      toolSuccess({ task_id, log: await service.logs(task_id, { tail: tail_lines ?? DEFAULT_TAIL_LINES }) }),
  );

  registerCheckedTool(
    server,
    'cancel_task',
    {
      title: 'Cancel a task',
      description: 'Cancels a pending task, or stops a running worker (with everything it started). The task ends cancelled.',
      inputSchema: z.strictObject({ task_id: taskId }),
      outputSchema: taskSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ task_id }) => toolSuccess(summarizeTask(await service.cancel(task_id))),
  );

  registerCheckedTool(
    server,
    'wait_for_tasks',
    {
      title: 'Wait for tasks to finish',
      description:
        'Blocks until every listed task has ended (completed, failed or cancelled) or timeout_seconds pass, then ' +
        "returns each task's state. Use this instead of sleeping or calling get_task_status in a loop. " +
        `The wait is capped at ${MAX_WAIT_SECONDS} s so the call never runs into client timeouts; if all_terminal is ` +
        'false, call it again with the ids still working.',
      inputSchema: z.strictObject({
        task_ids: z.array(taskId).min(1).max(100),
        timeout_seconds: z
          .number()
          .min(0)
          .optional()
          .describe(`How long to wait at most (default ${DEFAULT_WAIT_SECONDS}, capped at ${MAX_WAIT_SECONDS})`),
      }),
      outputSchema: z.object({
        all_terminal: z.boolean(),
        waited_seconds: z.number(),
        working_task_ids: z.array(z.int()).describe('Tasks still working: pass these to the next wait_for_tasks'),
        tasks: z.array(taskSummarySchema),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ task_ids, timeout_seconds }, ctx) => {
      const outcome = await service.waitForTasks(task_ids, timeout_seconds ?? DEFAULT_WAIT_SECONDS, ctx.mcpReq.signal);
      const tasks = outcome.tasks.map(summarizeTask);
      return toolSuccess({
        all_terminal: outcome.all_terminal,
        waited_seconds: outcome.waited_seconds,
        working_task_ids: tasks.filter((task) => !task.terminal).map((task) => task.task_id),
        tasks,
      });
    },
  );

  registerCheckedTool(
    server,
    'check_api_health',
    {
      title: 'Check the worker pool',
      description: 'Whether the task service answers, in which mode, and how many tasks are running and queued.',
      inputSchema: z.strictObject({}),
      outputSchema: z.object({
        status: z.literal('healthy'),
        mode: z.string(),
        version: z.string(),
        max_concurrency: z.int(),
        running: z.int(),
        pending: z.int(),
        prompt_policy: z.string(),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const health = await service.health();
      return toolSuccess({
        status: health.status,
        mode: options.mode,
        version: health.version,
        max_concurrency: health.max_concurrency,
        running: health.running,
        pending: health.pending,
        prompt_policy: options.policy,
      });
    },
  );

  registerOrchestrationTools(server, options);
  registerReviewTools(server, options);
  registerContinueTool(server, options);
  return server;
}
