/**
 * What a planner sees of a task: the state it acts on, not the full record
 * (a prompt it wrote itself, token counts). `mcp_status` uses the MCP Tasks
 * vocabulary so a native Tasks layer can later sit on the same data.
 */
import { z } from 'zod';
import { changeCountsSchema } from '../core/schemas.js';
import { isTerminal, TASK_STATUSES, type Task, type TaskStatus } from '../core/task.js';

export const MCP_TASK_STATUSES = ['working', 'completed', 'failed', 'cancelled'] as const;
export type McpTaskStatus = (typeof MCP_TASK_STATUSES)[number];

export function toMcpStatus(status: TaskStatus): McpTaskStatus {
  if (status === 'skipped') return 'cancelled';
  return status === 'pending' || status === 'running' || status === 'waiting' ? 'working' : status;
}

export const taskSummarySchema = z.object({
  task_id: z.int(),
  status: z
    .enum(TASK_STATUSES)
    .describe('claude-worker status: pending, waiting, running, completed, failed, cancelled or skipped'),
  mcp_status: z.enum(MCP_TASK_STATUSES).describe('MCP Tasks status: working until the task ends'),
  terminal: z.boolean().describe('True once the task has ended; it never changes again'),
  working_directory: z.string(),
  required_labels: z.record(z.string(), z.string()).describe('Labels a worker must have to run the task; empty: any worker'),
  last_action: z.string().nullable().describe('What the worker did last'),
  result_summary: z.string().nullable().describe("The worker's final message"),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  cost_usd: z.number().nullable(),
  max_budget_usd: z.number().nullable().describe('The most the task may cost; null: no cap'),
  num_turns: z.int().nullable(),
  branch: z.string().nullable().describe("The git branch holding the task's work (isolation worktree)"),
  changes: changeCountsSchema.nullable().describe('What the branch changed since the task started'),
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

export function summarizeTask(task: Task): TaskSummary {
  return {
    task_id: task.id,
    status: task.status,
    mcp_status: toMcpStatus(task.status),
    terminal: isTerminal(task.status),
    working_directory: task.working_directory,
    required_labels: task.required_labels,
    last_action: task.last_action_cache,
    result_summary: task.final_summary,
    error_code: task.error_code,
    error_message: task.error_message,
    cost_usd: task.cost_usd,
    max_budget_usd: task.max_budget_usd,
    num_turns: task.num_turns,
    branch: task.branch,
    changes: task.changes,
    created_at: task.created_at,
    started_at: task.started_at,
    ended_at: task.ended_at,
  };
}
