#!/usr/bin/env node
/**
 * The `claude-worker` command. Every subcommand talks to a server through the
 * HTTP client; exit codes: 0 success, 1 failure (a task that failed under
 * `run --watch` or `wait` included), 2 a request refused as it stands (a
 * usage error, or any 4xx: bad input, unknown id, a conflict such as a merge
 * that would overwrite work; nothing changed), 124 `wait --timeout` passed,
 * 130 interrupted while watching.
 */
import nodeModule from 'node:module';
import { CommanderError } from 'commander';
import { commandsFor } from './command-table.js';
import { buildProgram } from './program.js';
import { describeError } from '../app/report-error.js';
import { ClaudeWorkerError } from '../core/errors.js';

// Node.js 22.1+ keeps the code it compiled between runs (in the system's temp
// directory), which saves the commands loaded below most of their compile time.
// Node.js 20 has no such cache; the call is skipped there.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const USAGE_ERROR_EXIT_CODE = 2;

/**
 * One rule for every command: a request refused as it stands (what the
 * server answers with a 4xx, or the same check made in the CLI) exits 2, so a
 * script can tell "fix the command" from "it ran and failed" (exit 1).
 */
function exitCodeFor(error: unknown): number {
  const refused = error instanceof ClaudeWorkerError && error.httpStatus >= 400 && error.httpStatus < 500;
  return refused ? USAGE_ERROR_EXIT_CODE : 1;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram(await commandsFor(argv.slice(2))).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already.
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE;
      return;
    }
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}

await main(process.argv);
