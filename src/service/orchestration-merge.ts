/**
 * Merging an orchestration's work: the heads of its sink tasks (those no
 * other task of it depends on, so their branches hold the work of the tasks
 * before them) combined into one commit (combineHeads), then merged like a
 * task's branch. Nothing is written to a ref or checkout until the whole
 * merge is known to succeed, so every refusal changes nothing.
 */
import { OrchestrationNotEndedError, OrchestrationNotMergeableError, type MergeInput } from '../core/review.js';
import { isTerminal } from '../core/task.js';
import { combineHeads } from '../workspace/combine.js';
import { MergeConflictError } from '../workspace/errors.js';
import type { MergeResult } from '../workspace/merge.js';
import { withRepositoryLock } from '../workspace/repository-lock.js';
import type { OrchestrationGraph } from '../store/orchestration-records.js';
import type { TaskRecord } from '../store/task-store.js';
import { branchedTask, firstLine, headOf, mergeIntoCheckout } from './task-review.js';

type GraphTask = OrchestrationGraph['tasks'][number];

export interface OrchestrationMerge extends MergeResult {
  into: string;
  sinks: TaskRecord[];
}

export async function mergeOrchestrationSinks(graph: OrchestrationGraph, input: MergeInput): Promise<OrchestrationMerge> {
  const { id } = graph.orchestration;
  const unfinished = graph.tasks.find((task) => !isTerminal(task.status));
  if (unfinished) throw new OrchestrationNotEndedError(id, unfinished.id, unfinished.identifier, unfinished.status);
  const sinks = sinkTasks(graph.tasks);
  const branched = await Promise.all(sinks.map((sink) => branchedTask(sink, 'merge')));
  const root = branched[0]!.repositoryRoot;
  const elsewhere = branched.find((task) => task.repositoryRoot !== root);
  if (elsewhere) {
    throw new OrchestrationNotMergeableError(
      id,
      `has sink tasks in two repositories (${root} and ${elsewhere.repositoryRoot}); merge each task with merge ID instead.`,
    );
  }
  const names = sinks.map(describe).join(', ');
  const merged = await withRepositoryLock(root, () =>
    mergeIntoCheckout(root, input, async (into) => {
      const message = `Merge orchestration ${id} (${firstLine(graph.orchestration.name)}) into ${into}\n\nThe work of ${names}.\n`;
      const [first, ...rest] = await Promise.all(branched.map(headOf));
      return { source: await combine(root, [first!, ...rest], message, names), message };
    }),
  );
  return { ...merged, sinks };
}

/** The tasks no other task of the graph depends on; their branches hold all the graph's work. */
function sinkTasks(tasks: readonly GraphTask[]): GraphTask[] {
  const dependedOn = new Set(tasks.flatMap((task) => task.depends_on));
  return tasks.filter((task) => task.identifier === null || !dependedOn.has(task.identifier));
}

async function combine(root: string, heads: [string, ...string[]], message: string, names: string): Promise<string> {
  try {
    return await combineHeads(root, heads, message);
  } catch (error) {
    if (!(error instanceof MergeConflictError)) throw error;
    throw new MergeConflictError(
      `the work of ${names}, the last tasks of the orchestration,`,
      error.files,
      'Their changes overlap: merge their branches one by one (merge ID) and resolve the conflicts by hand.',
    );
  }
}

function describe(task: GraphTask): string {
  return task.identifier === null ? `task ${task.id}` : `task ${task.id} (${task.identifier})`;
}
