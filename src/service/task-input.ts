/**
 * Validation of a new task, shared by every door: the schema's rules plus the
 * ones that need the file system, all reported together so a caller fixes
 * everything in one round trip.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ValidationError, type ValidationIssue } from '../core/errors.js';
import { createTaskInputSchema, inputIssues, type CreateTaskInput } from '../core/schemas.js';

export async function validateTaskInput(input: unknown): Promise<CreateTaskInput> {
  const { data, issues } = inputIssues(createTaskInputSchema, input);
  const problem = await workingDirectoryIssue(input, 'working_directory', issues);
  if (problem) issues.push(problem);
  if (issues.length > 0) throw new ValidationError(issues);
  return data!;
}

/**
 * The file-system check of a task's working directory (`task` as sent, its
 * directory reported as `field`), unless the schema already found fault
 * with that field among `issues`.
 */
export async function workingDirectoryIssue(
  task: unknown,
  field: string,
  issues: readonly ValidationIssue[],
): Promise<ValidationIssue | null> {
  const dir = (task as { working_directory?: unknown } | null)?.working_directory;
  if (typeof dir !== 'string' || dir.trim() === '' || issues.some((i) => i.field === field)) return null;
  return directoryProblem(dir, field);
}

async function directoryProblem(dir: string, field: string): Promise<ValidationIssue | null> {
  if (!isAbsolute(dir)) {
    return { field, message: `must be an absolute path (got "${dir}"); the server cannot know the caller's current directory` };
  }
  try {
    if (!(await stat(dir)).isDirectory()) return { field, message: `${dir} is not a directory` };
    return null;
  } catch {
    return { field, message: `${dir} does not exist` };
  }
}
