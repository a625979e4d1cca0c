#!/usr/bin/env node
/**
 * The `claude-worker` command. Every subcommand talks to a server through the
 * HTTP client; exit codes: 0 success, 1 failure (a task that failed under
 * `run --watch` or `wait` included), 2 usage error, 124 `wait --timeout`
 * passed, 130 interrupted while watching.
 */
import { CommanderError } from 'commander';
import { describeError } from '../app/report-error.js';
import { buildProgram } from './program.js';
import { UsageError } from './usage-error.js';

const USAGE_ERROR_EXIT_CODE = 2;

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already.
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE;
      return;
    }
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = error instanceof UsageError ? USAGE_ERROR_EXIT_CODE : 1;
  }
}

await main(process.argv);
