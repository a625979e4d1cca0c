/**
 * Reads an orchestration file (JSON, or YAML for .yaml/.yml) into the input
 * every door validates. Relative working directories resolve against the
 * file's own directory, so a graph file travels with the projects it names.
 * A file without a name names the orchestration after itself (`nightly.json`
 * is `nightly`): a list of them then reads like the directory they came from.
 * Problems are told in the file's terms: a line and column, a missing file
 * by name, and the file's top level rather than a request body.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../core/errors.js';

const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'a directory, not a file',
  EACCES: 'permission denied',
};

export async function readOrchestrationFile(path: string, cwd: string): Promise<unknown> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ValidationError([{ field: 'file', message: `${UNREADABLE[code] ?? `cannot be read (${code})`}: ${file}` }]);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const reason = yaml ? (error as Error).message : withLineAndColumn((error as Error).message, text);
    throw new ValidationError([{ field: 'file', message: `${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${reason}` }]);
  }
  return withNameFrom(withDirectoriesFrom(parsed, dirname(file)), file);
}

/**
 * Runs `step` (validating or submitting the file's contents) and reports its
 * problems in the file's terms: the whole input is the file's top level.
 */
export async function reportedInFile<T>(path: string, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((issue) => (issue.field === 'body' ? { ...issue, field: `${path} (top level)` } : issue)),
    );
  }
}

/** JSON.parse says `in JSON at position 59`; people look for a line and a column. */
function withLineAndColumn(message: string, text: string): string {
  const match = /( in JSON)? at position (\d+).*$/s.exec(message);
  if (!match) return message;
  const before = text.slice(0, Number(match[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.slice(0, match.index)} at line ${line}, column ${column}`;
}

/** Names a graph that has no name (absent or null) after `file`, without its extension. */
function withNameFrom(input: unknown, file: string): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  if ((input as { name?: unknown }).name != null) return input;
  return { ...input, name: basename(file, extname(file)) };
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
