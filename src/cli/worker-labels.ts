/** Whether a task can be run by any worker there is now, for the commands that warn when it cannot. */
import { formatLabels, satisfiesLabels } from '../core/labels.js';
import type { Task } from '../core/task.js';
import type { TaskService } from '../service/task-service.js';

/** Whether a pending task requires labels that no active worker has (then it waits until one starts). */
export async function waitsForLabelsNobodyHas(client: TaskService, task: Task): Promise<boolean> {
  if (task.status !== 'pending' || Object.keys(task.required_labels).length === 0) return false;
  const { workers } = await client.workers();
  return !workers.some((worker) => worker.state === 'active' && satisfiesLabels(worker.labels, task.required_labels));
}

/** The warning for such a task, or null when some worker can run it. */
export async function unmatchedLabelsWarning(client: TaskService, task: Task): Promise<string | null> {
  if (!(await waitsForLabelsNobodyHas(client, task))) return null;
  return `warning: no active worker has the labels ${formatLabels(task.required_labels)}: task ${task.id} waits until one starts (see: claude-worker workers)`;
}
