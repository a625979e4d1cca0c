/** The MCP tool for follow-ups: a planner sends an ended task its next message instead of starting a task from scratch. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { continueTaskInputSchema } from '../core/schemas.js';
import { registerCheckedTool } from './checked-tool.js';
import { summarizeTask, taskSummarySchema } from './task-summary.js';
import { toolSuccess } from './tool-result.js';
import type { McpToolsOptions } from './tool-options.js';

export function registerContinueTool(server: McpServer, { service }: McpToolsOptions): void {
  registerCheckedTool(
    server,
    'continue_task',
    {
      title: 'Follow up on an ended task',
      description:
        'Sends an ended (completed, failed or cancelled) task a follow-up message: a new task that resumes the same ' +
        'worker conversation, in the same worktree and on the same branch, so the worker remembers what it read and did. ' +
        'Returns the new task at once; wait for it with wait_for_tasks. A task that has not ended is refused.',
      inputSchema: z.strictObject({
        task_id: z.int().positive().describe('The ended task to continue'),
        message: continueTaskInputSchema.shape.message,
      }),
      outputSchema: taskSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ task_id, message }) => toolSuccess(summarizeTask(await service.continueTask(task_id, { message }))),
  );
}
