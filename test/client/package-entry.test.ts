/**
 * The package as a program that installed it loads it: by its name, through
 * the `exports` of package.json, from the built dist/ (a fresh Node process,
 * so nothing of the test runner's own module resolution helps).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

/** The error classes the README lists as exported, each with its `code`. */
const DOCUMENTED_ERRORS = [
  'ClaudeWorkerError',
  'ValidationError',
  'TaskNotFoundError',
  'OrchestrationNotFoundError',
  'UnauthorizedError',
  'ServerUnreachableError',
];

/** Runs Node with `args` in the package root, where the package can load itself by its name; returns its stdout. */
async function node(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: ROOT });
  return stdout;
}

describe('the package entry', () => {
  it('exports every error class the README lists, OrchestrationNotFoundError a ClaudeWorkerError with code not_found', async () => {
    const source = `
      const entry = await import('claude-worker');
      const error = new entry.OrchestrationNotFoundError(3);
      console.log(JSON.stringify({
        names: Object.keys(entry).filter((name) => name.endsWith('Error')),
        isBase: error instanceof entry.ClaudeWorkerError,
        code: error.code,
      }));`;
    const result = JSON.parse(await node(['--input-type=module', '-e', source]));
    expect(result.names).toEqual(expect.arrayContaining(DOCUMENTED_ERRORS));
    expect(result).toMatchObject({ isBase: true, code: 'not_found' });
  });

  it('loads with require() as well, on the Node versions the package supports', async () => {
    const names = await node(['-e', "console.log(Object.keys(require('claude-worker')).join(' '))"]);
    expect(names.trim().split(' ')).toEqual(expect.arrayContaining(['ClaudeWorkerClient', ...DOCUMENTED_ERRORS]));
  });
});
