/**
 * Reads an orchestration file (JSON, or YAML for .yaml/.yml) into the input
 * every door validates. Relative working directories resolve against the
 * file's own directory, so a graph file travels with the projects it names.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../core/errors.js';

export async function readOrchestrationFile(path: string, cwd: string): Promise<unknown> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError([{ field: 'file', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ValidationError([
      { field: 'file', message: `${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}` },
    ]);
  }
  return withDirectoriesFrom(parsed, dirname(file));
}

/** Resolves each task's relative `working_directory` against `base`; anything else is left for validation to judge. */
function withDirectoriesFrom(input: unknown, base: string): unknown {
  const tasks = (input as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return input;
  return {
    ...(input as object),
    tasks: tasks.map((task: unknown) => {
      const dir = (task as { working_directory?: unknown } | null)?.working_directory;
      if (typeof dir !== 'string' || dir.trim() === '' || isAbsolute(dir)) return task;
      return { ...(task as object), working_directory: resolve(base, dir) };
    }),
  };
}
