/**
 * `--wait` and `--watch` for orchestrations: reads the orchestration until
 * it has ended, printing a line whenever a task changes status.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OrchestrationDetail } from '../core/orchestration.js';
import type { TaskService } from '../service/task-service.js';
import { PLAIN, type Style } from './format.js';
import { describeCounts } from './orchestration-format.js';
import { WATCH_POLL_MS } from './watch.js';

export interface OrchestrationWatchOptions {
  out: { write(text: string): unknown };
  style?: Style;
  /** Stops watching (the orchestration keeps running). */
  signal?: AbortSignal;
  pollMs?: number;
}

/** Resolves with the orchestration once it has ended, or with its latest state when `signal` aborts. */
export async function watchOrchestration(
  service: TaskService,
  first: OrchestrationDetail,
  options: OrchestrationWatchOptions,
): Promise<OrchestrationDetail> {
  const { out, style = PLAIN, signal, pollMs = WATCH_POLL_MS } = options;
  let orchestration = first;
  // The name once; after it, lines about its tasks. Its outcome is printed by the caller, once.
  out.write(`${style.bold(`Orchestration ${first.id} "${first.name}"`)}: ${first.tasks.length} tasks\n`);
  let seen = new Map<number, string>();
  for (;;) {
    const changed = orchestration.tasks.filter((task) => seen.get(task.id) !== task.status);
    for (const task of changed) {
      const name = task.identifier ?? String(task.id);
      out.write(`  ${name} (task ${task.id}) ${style.status(task.status)}\n`);
    }
    seen = new Map(orchestration.tasks.map((task) => [task.id, task.status]));
    if (orchestration.status !== 'running') return orchestration;
    if (changed.length > 0) out.write(`  so far: ${describeCounts(orchestration)}\n`);
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return orchestration; // aborted while waiting
    }
    orchestration = await service.getOrchestration(orchestration.id);
  }
}
