/**
 * The planner's alternative to sleeping: one call that returns as soon as
 * every task has ended, or when the timeout passes. The TaskService has no
 * change events that reach across processes (a proxy, or a task run by
 * another runner on the same database), so it polls the service at a
 * modest interval on the server side, where polling costs no tokens.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal, type Task } from '../core/task.js';
import type { TaskService } from '../service/task-service.js';

/**
 * Common MCP clients give up on a tool call after 60 s by default; a wait
 * must answer before that, with room for the round trip.
 */
export const MAX_WAIT_SECONDS = 50;
const POLL_MS = 500;

export function clampWaitSeconds(requested: number): number {
  return Math.min(Math.max(requested, 0), MAX_WAIT_SECONDS);
}

export interface WaitOutcome {
  tasks: Task[];
  all_terminal: boolean;
  waited_seconds: number;
}

export async function waitForTasks(
  service: TaskService,
  taskIds: readonly number[],
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<WaitOutcome> {
  const startedAt = Date.now();
  const deadline = startedAt + clampWaitSeconds(timeoutSeconds) * 1000;
  for (;;) {
    // Unknown ids fail here, on the first round, with TaskNotFoundError.
    const tasks = await Promise.all(taskIds.map((id) => service.get(id)));
    const allTerminal = tasks.every((task) => isTerminal(task.status));
    const remaining = deadline - Date.now();
    if (allTerminal || remaining <= 0 || signal?.aborted) {
      return { tasks, all_terminal: allTerminal, waited_seconds: Math.round((Date.now() - startedAt) / 100) / 10 };
    }
    await sleep(Math.min(POLL_MS, remaining), undefined, { signal }).catch(() => undefined);
  }
}
