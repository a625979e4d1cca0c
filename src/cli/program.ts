/**
 * The `claude-worker` program: its name, version and help, with the commands
 * it is given (see command-table.ts for which a command line needs).
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { CommandRegistration } from './command-table.js';

export function buildProgram(registrations: readonly CommandRegistration[]): Command {
  const program = new Command('claude-worker')
    .description('Fire-and-forget task execution for Claude Code')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    // Throw instead of exiting, so usage errors get their own exit code (see main.ts).
    .exitOverride()
    .addHelpText(
      'after',
      `
Environment:
  CLAUDE_WORKER_SERVER_URL  server to talk to (default http://127.0.0.1:8000); a local one is started when needed
  CLAUDE_WORKER_TOKEN       bearer token for a server that requires one
  CLAUDE_WORKER_HOME        database, logs and server files (default ~/.claude-worker)`,
    );
  for (const register of registrations) register(program);
  return program;
}
