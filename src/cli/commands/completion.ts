/**
 * `claude-worker completion bash|zsh|fish` prints a completion script built
 * from this very program, so it never lags behind its commands and flags;
 * the hidden `__complete` lists ids for the scripts to offer.
 */
import { Argument, type Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { ClaudeWorkerClient } from '../../client/http-client.js';
import { httpFetch } from '../../client/http-fetch.js';
import { bashScript } from '../completion/bash.js';
import { commandTree } from '../completion/command-tree.js';
import { fishScript } from '../completion/fish.js';
import { zshScript } from '../completion/zsh.js';
import { truncate } from '../format.js';
import { print } from '../io.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SCRIPTS;

/** A shell waits for completions: better none than a slow answer. */
const COMPLETE_TIMEOUT_MS = 1_500;
const COMPLETE_LIMIT = 50;
const DESCRIPTION_WIDTH = 60;

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (commands, flags, and task ids from the server)')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(Object.keys(SCRIPTS)))
    .addHelpText(
      'after',
      `
Load it:
  bash  source <(claude-worker completion bash)         (e.g. in ~/.bashrc)
  zsh   source <(claude-worker completion zsh)          (in ~/.zshrc, after compinit)
  fish  claude-worker completion fish | source          (or save it in ~/.config/fish/completions/claude-worker.fish)`,
    )
    .action((shell: Shell) => {
      print(SCRIPTS[shell](commandTree(program)));
    });

  program
    .command('__complete', { hidden: true })
    .description('Ids for the completion scripts: "ID<tab>description" lines, newest first')
    .addArgument(new Argument('<kind>').choices(['task-ids', 'orchestration-ids']))
    .action(async (kind: 'task-ids' | 'orchestration-ids') => {
      const config = loadConfig();
      // Never starts a server: completing a word must not have side effects.
      const client = new ClaudeWorkerClient({
        baseUrl: config.serverUrl,
        token: config.token,
        // node:http, as every CLI command: the global fetch would compile undici first.
        fetch: (input, init) => httpFetch(input, { ...init, signal: AbortSignal.timeout(COMPLETE_TIMEOUT_MS) }),
      });
      try {
        const lines =
          kind === 'task-ids'
            ? (await client.list({ limit: COMPLETE_LIMIT })).tasks.map(
                (task) =>
                  `${task.id}\t${task.status}: ${truncate(task.execution_prompt.replace(/\s+/g, ' '), DESCRIPTION_WIDTH)}`,
              )
            : (await client.listOrchestrations({ limit: COMPLETE_LIMIT })).orchestrations.map(
                (orchestration) =>
                  `${orchestration.id}\t${orchestration.status}: ${truncate(orchestration.name, DESCRIPTION_WIDTH)}`,
              );
        if (lines.length > 0) print(lines.join('\n'));
      } catch {
        // No server, or a slow one: offer nothing rather than an error in the middle of a command line.
      }
    });
}
