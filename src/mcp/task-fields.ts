/**
 * The fields a planner gives for one task, the same in create_task and in
 * each task of submit_orchestration. Shapes and descriptions for the agent
 * only: the service validates every value with the schemas of core/.
 */
import { z } from 'zod';
import { ISOLATION_MODES } from '../core/task.js';

export const taskFieldsShape = {
  execution_prompt: z.string().describe('Self-contained instructions: goal, file paths, constraints, how to verify'),
  working_directory: z.string().describe("Directory the worker runs in; absolute, or relative to this server's directory"),
  system_prompt: z.string().optional().describe('Extra system instructions; guidance to keep solutions simple is always added'),
  model: z.string().optional().describe("Model alias or id (sonnet, opus); default: Claude Code's"),
  max_turns: z.int().positive().optional().describe('Stop the worker after this many turns'),
  max_budget_usd: z
    .number()
    .positive()
    .optional()
    .describe('Stop the worker once its estimated cost reaches this many US dollars (the task fails with max_budget)'),
  timeout_seconds: z.int().positive().optional().describe('Stop the worker after this many seconds'),
  required_labels: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'Only a worker whose labels include all these pairs runs the task, e.g. {"gpu": "true"}; it waits until such a worker runs',
    ),
  webhook_url: z
    .string()
    .optional()
    .describe('An http(s) URL that gets a signed POST when the task ends (task.completed, task.failed, task.cancelled)'),
  isolation: z
    .enum(ISOLATION_MODES)
    .optional()
    .describe(
      "worktree: the worker edits a git worktree and branch of the task's own, so parallel tasks never collide; " +
        'none: it edits working_directory itself. Default: worktree inside a git repository with a commit',
    ),
  base: z.string().optional().describe('Git ref the task starts from (isolation worktree); default: HEAD'),
  include_uncommitted: z
    .boolean()
    .optional()
    .describe("Start from the repository's uncommitted tracked changes too, not only from the last commit"),
};
