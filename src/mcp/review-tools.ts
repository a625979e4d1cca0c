/**
 * The tools a planner reviews its workers' results with: each task works on
 * a git branch of its own (isolation worktree); get_task_diff shows what it
 * changed, merge_task merges it into the person's checked-out branch.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { MAX_DIFF_MAX_BYTES } from '../core/review.js';
import { registerCheckedTool } from './checked-tool.js';
import { summarizeTask, taskSummarySchema } from './task-summary.js';
import type { McpToolsOptions } from './tool-options.js';
import { toolSuccess } from './tool-result.js';

/** Smaller than the other doors' default: the diff goes into the planner's context. */
const DEFAULT_MCP_DIFF_BYTES = 32 * 1024;

const taskId = z.int().positive().describe('A task id returned by create_task');

export function registerReviewTools(server: McpServer, { service }: McpToolsOptions): void {
  registerCheckedTool(
    server,
    'get_task_diff',
    {
      title: "Show a task's changes",
      description:
        "The unified diff of the task's branch from the commit it started from, with the files it changed and " +
        `their line counts. Cut past max_bytes (default ${DEFAULT_MCP_DIFF_BYTES}) with a note; the file list is always complete. ` +
        'A task that ran in place (isolation none) has no branch: the error says where its changes are.',
      inputSchema: z.strictObject({
        task_id: taskId,
        max_bytes: z.int().min(1).max(MAX_DIFF_MAX_BYTES).optional().describe('Cut the diff past this many bytes'),
      }),
      outputSchema: z.object({
        task_id: z.int(),
        diff: z.string(),
        truncated: z.boolean(),
        total_bytes: z.int(),
        note: z.string().optional().describe('Present when the diff was cut: how to see the rest.'),
        files: z.array(z.object({ path: z.string(), insertions: z.int(), deletions: z.int() })),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ task_id, max_bytes }) => {
      const maxBytes = max_bytes ?? DEFAULT_MCP_DIFF_BYTES;
      const [diff, stat] = await Promise.all([service.diff(task_id, { maxBytes }), service.diffStat(task_id)]);
      const note = diff.truncated
        ? `The diff is ${diff.total_bytes} bytes; ${maxBytes} were shown. Call again with a larger max_bytes to see more.`
        : undefined;
      return toolSuccess({
        task_id,
        diff: diff.text,
        truncated: diff.truncated,
        total_bytes: diff.total_bytes,
        ...(note ? { note } : {}),
        files: stat.files.map(({ path, insertions, deletions }) => ({ path, insertions, deletions })),
      });
    },
  );

  registerCheckedTool(
    server,
    'merge_task',
    {
      title: "Merge a task's branch",
      description:
        "Merges an ended task's branch into the branch checked out in its repository (or into), without touching " +
        'any checkout when it cannot: a conflict, or uncommitted changes in the files it touches, is an error naming ' +
        'the files, and nothing changes. Merge one task at a time and read each error.',
      inputSchema: z.strictObject({
        task_id: taskId,
        squash: z.boolean().optional().describe('One new commit instead of a merge commit'),
        into: z.string().min(1).max(1000).optional().describe('The local branch to merge into'),
      }),
      outputSchema: z.object({
        task: taskSummarySchema,
        into: z.string(),
        merge_commit: z.string(),
        fast_forward: z.boolean(),
        already_merged: z.boolean(),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ task_id, squash, into }) => {
      const outcome = await service.merge(task_id, {
        ...(squash === undefined ? {} : { squash }),
        ...(into === undefined ? {} : { into }),
      });
      return toolSuccess({ ...outcome, task: summarizeTask(outcome.task) });
    },
  );
}
