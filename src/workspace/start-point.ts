/**
 * The commit a new task branch starts from. A task of an orchestration
 * starts from the work of the tasks it depends on: one head as it is,
 * several merged into one commit (combineHeads: no checkout touched). A task
 * without such work starts from the base commit settled at submit.
 */
import { combineHeads } from './combine.js';
import { MergeConflictError } from './errors.js';
import { resolveCommit } from './repository.js';

/** The work of a task this one depends on: its identifier and the last commit of its branch. */
export interface DependencyWork {
  name: string;
  head: string;
}

export interface StartPoint {
  commit: string;
  /** The dependencies whose work it holds. */
  from: string[];
  /** Dependencies whose head is not a commit of this repository (their task worked in another one): left out. */
  elsewhere: string[];
}

/** Throws MergeConflictError naming the dependencies and the files when their work cannot be merged. */
export async function startPoint(
  repositoryRoot: string,
  taskId: number,
  baseCommit: string,
  dependencies: readonly DependencyWork[],
): Promise<StartPoint> {
  const here: DependencyWork[] = [];
  const elsewhere: string[] = [];
  for (const dependency of dependencies) {
    if ((await resolveCommit(repositoryRoot, dependency.head)) === null) elsewhere.push(dependency.name);
    else here.push(dependency);
  }
  const [first, ...rest] = here.map((dependency) => dependency.head);
  if (first === undefined) return { commit: baseCommit, from: [], elsewhere };
  const names = andList(here.map((dependency) => `${dependency.name} (${dependency.head.slice(0, 12)})`));
  const message = `claude-worker: start of task ${taskId}\n\nThe work of the tasks it depends on, merged: ${names}.`;
  try {
    const commit = await combineHeads(repositoryRoot, [first, ...rest], message);
    return { commit, from: here.map((dependency) => dependency.name), elsewhere };
  } catch (error) {
    if (!(error instanceof MergeConflictError)) throw error;
    throw new MergeConflictError(
      `the work of ${names}, the tasks it depends on,`,
      error.files,
      `Their changes overlap, so task ${taskId} cannot start from all of them: merge their branches by hand, ` +
        'or make one of those tasks depend on the other, and submit the task again.',
    );
  }
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
