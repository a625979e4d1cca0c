/**
 * Validation of a new orchestration, shared by every door: the field rules
 * of each task (the same schema as a lone task), its directory, and the
 * rules of the graph, all reported together in one ValidationError.
 */
import { ValidationError } from '../core/errors.js';
import { createOrchestrationInputSchema, type CreateOrchestrationInput } from '../core/orchestration-schemas.js';
import { MAX_ORCHESTRATION_TASKS } from '../core/orchestration.js';
import { inputIssues } from '../core/schemas.js';
import { taskGraphIssues } from '../core/task-graph.js';
import { workingDirectoryIssue } from './task-input.js';

export async function validateOrchestrationInput(input: unknown): Promise<CreateOrchestrationInput> {
  const { data, issues } = inputIssues(createOrchestrationInputSchema, input);
  const tasks = (input as { tasks?: unknown } | null)?.tasks;
  // An oversized graph is refused as such: no point walking it or touching the disk for it.
  if (Array.isArray(tasks) && tasks.length <= MAX_ORCHESTRATION_TASKS) {
    issues.push(...taskGraphIssues(tasks));
    const directories = await Promise.all(
      tasks.map((task, i) => workingDirectoryIssue(task, `tasks[${i}].working_directory`, issues)),
    );
    issues.push(...directories.filter((issue) => issue !== null));
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return data!;
}
