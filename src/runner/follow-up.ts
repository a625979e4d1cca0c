/**
 * What the agent of a follow-up needs about the task it continues: that
 * task's session, and a prompt to start over with when the session cannot be
 * resumed here (another node ran it, or its file is gone), so the agent still
 * learns what was asked and done before.
 */
import type { FollowUp } from '../agents/agent.js';
import type { TaskRecord, TaskStore } from '../store/task-store.js';

/** Null for a task that continues none (or whose parent was deleted). */
export async function followUpOf(store: Pick<TaskStore, 'get'>, task: TaskRecord): Promise<FollowUp | null> {
  if (task.continues === null) return null;
  const parent = await store.get(task.continues);
  if (!parent) return null;
  return { taskId: parent.id, sessionId: parent.session_id, startOverPrompt: startOverPrompt(parent, task) };
}

function startOverPrompt(parent: TaskRecord, task: TaskRecord): string {
  const where = task.branch ? `the working directory, on branch ${task.branch}` : 'the working directory';
  return [
    `This task continues task ${parent.id}, whose conversation could not be resumed here. Task ${parent.id} was asked:`,
    parent.execution_prompt,
    `It ended ${parent.status}. What it reported at the end:`,
    parent.final_summary ?? parent.error_message ?? '(nothing)',
    `Its work is already in ${where}. Check it, then do what follows.`,
    task.execution_prompt,
  ].join('\n\n');
}
