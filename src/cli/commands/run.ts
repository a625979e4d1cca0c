/** `claude-worker run [PROMPT]`: submits a task, and with --watch follows it to its end. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { parseLabelList } from '../../core/labels.js';
import type { Config } from '../../core/config.js';
import type { CreateTaskInput } from '../../core/schemas.js';
import {
  ISOLATION_MODES,
  PERMISSION_MODES,
  isTerminal,
  MAX_TIMEOUT_SECONDS,
  type Isolation,
  type PermissionMode,
  type Task,
} from '../../core/task.js';
import { dollars, integerIn, moreLabels } from '../arguments.js';
import { openConnection } from '../connect.js';
import { isLocalServerUrl } from '../server-address.js';
import { localDaemonPid, restartAdvice, warningsFor } from '../server-environment.js';
import { notice } from '../io.js';
import { composePrompt, readInstruction, readPipedStdin, STDIN_FIRST_BYTE_WAIT_MS } from '../prompt-input.js';
import { followHints, reportSubmitted } from '../submitted-task.js';
import { ValidationError } from '../../core/errors.js';
import { unmatchedLabelsWarning } from '../worker-labels.js';

interface RunOptions {
  dir?: string;
  system?: string;
  model?: string;
  maxTurns?: number;
  maxBudget?: number;
  timeout?: number;
  permissionMode?: PermissionMode;
  idempotencyKey?: string;
  requireLabel?: string[];
  requireLabels?: string[];
  isolation?: Isolation;
  base?: string;
  includeUncommitted?: boolean;
  watch?: boolean;
  json?: boolean;
  webhook?: string;
  notify?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Submit a task; it runs in the background. Piped stdin is added as context for PROMPT.')
    .argument('[prompt]', 'what the agent should do: text, or a .md/.txt file holding it')
    .option('-d, --dir <path>', 'working directory of the task (default: the current directory)')
    .option('-s, --system <text>', "text appended to Claude Code's system prompt")
    .option('-m, --model <model>', 'model id or alias (sonnet, opus, ...)')
    .option('--max-turns <n>', 'stop the agent after this many turns', integerIn(1, 10_000))
    .option('--max-budget <usd>', 'stop the agent once its estimated cost reaches this many US dollars', dollars('--max-budget'))
    .option('--timeout <seconds>', 'stop the agent after this many seconds', integerIn(1, MAX_TIMEOUT_SECONDS))
    .addOption(new Option('--permission-mode <mode>', 'Claude Code permission mode').choices(PERMISSION_MODES))
    .option('--idempotency-key <key>', 'submitting the same key again returns the existing task')
    .option('--require-label <name=value>', 'run only on a worker with this label (repeatable)', moreLabels)
    .option('--require-labels <list>', 'run only on a worker with all these labels, e.g. gpu=true,region=eu', moreLabels)
    .addOption(
      new Option(
        '--isolation <mode>',
        "worktree: a git worktree and branch of the task's own; none: in the directory itself (default: worktree in a git repository with a commit, CLAUDE_WORKER_ISOLATION)",
      ).choices(ISOLATION_MODES),
    )
    .option('--base <ref>', 'the commit, branch or tag the task starts from (default: HEAD)')
    .option('--include-uncommitted', 'start from the uncommitted changes to tracked files too, not only from HEAD')
    .option('--webhook <url>', "POST this task's webhooks (task.completed, task.failed, ...) here too")
    .option('-w, --watch', 'follow the task until it ends; exit 0 when completed, 1 otherwise')
    .option('--json', 'print the task as JSON (with --watch: the final task)')
    .option('--notify', 'with --watch: a desktop notification (notify-send or osascript) when the task ends')
    .addHelpText(
      'after',
      `
Examples:
  claude-worker run "Create a README for this project" --dir ./project
  claude-worker run prompt.md --dir ./project --watch
  git diff | claude-worker run "Review these changes"`,
    )
    .action(async (prompt: string | undefined, options: RunOptions) => {
      const config = loadConfig();
      const input = await taskInput(prompt, options);
      if (!isLocalServerUrl(config.serverUrl)) {
        const { createTaskInputSchema, parseOrThrow } = await import('../../core/schemas.js');
        parseOrThrow(createTaskInputSchema, input);
      }
      // Bad input is reported before anything starts: no daemon, no task. A
      // server that answers makes these checks itself on submit.
      const { client, warnings, started } = await openConnection(config, notice, () => checkInput(input, config));
      const { task, deduplicated } = await client.submit(input);
      // A server just started has shown its warnings already.
      const predicted = started || isTerminal(task.status) ? [] : warningsFor(task, warnings);
      for (const warning of predicted) notice(`warning: task ${task.id} will fail: ${warning.message}`);
      if (predicted.length > 0) notice(restartAdvice(await localDaemonPid(config)));
      const labelsWarning = await unmatchedLabelsWarning(client, task);
      if (labelsWarning !== null) notice(labelsWarning);
      await reportSubmitted(client, config, task, options, submittedMessage(task, deduplicated));
    });
}

/**
 * The checks the server makes on submit, made here before a server is
 * started for the task. Loaded only then: they pull in the request schemas.
 */
async function checkInput(input: CreateTaskInput, config: Config): Promise<void> {
  const [{ validateTaskInput }, { settleWorkspace }] = await Promise.all([
    import('../../service/task-input.js'),
    import('../../service/task-workspace.js'),
  ]);
  await validateTaskInput(input);
  // A --base or --isolation the repository cannot honour is a bad option value (exit 2).
  const { issues } = await settleWorkspace(input, config.isolation);
  if (issues.length > 0) throw new ValidationError(issues);
}

async function taskInput(prompt: string | undefined, options: RunOptions): Promise<CreateTaskInput> {
  const cwd = process.cwd();
  const instruction = prompt === undefined ? undefined : await readInstruction(prompt, cwd);
  const stdin = await readPipedStdin();
  if (stdin.gaveUp) {
    notice(
      `warning: stdin is open but sent nothing in ${STDIN_FIRST_BYTE_WAIT_MS / 1000}s; ` +
        'going on without it (redirect stdin with < /dev/null to skip the wait)',
    );
  }
  return {
    execution_prompt: composePrompt(instruction, stdin.text),
    working_directory: resolve(cwd, options.dir ?? '.'),
    system_prompt: options.system ?? null,
    model: options.model ?? null,
    permission_mode: options.permissionMode ?? null,
    max_turns: options.maxTurns ?? null,
    max_budget_usd: options.maxBudget ?? null,
    timeout_seconds: options.timeout ?? null,
    idempotency_key: options.idempotencyKey ?? null,
    // One list, so a name given twice with different values is reported.
    required_labels: parseLabelList(
      [...(options.requireLabel ?? []), ...(options.requireLabels ?? [])].join(','),
      'required_labels',
    ),
    isolation: options.isolation ?? null,
    base: options.base ?? null,
    include_uncommitted: options.includeUncommitted ?? null,
    webhook_url: options.webhook ?? null,
  };
}

function submittedMessage(task: Task, deduplicated: boolean): string {
  const headline = deduplicated
    ? `Task ${task.id} already exists for this idempotency key (${task.status}).`
    : `Task ${task.id} submitted (${task.status}).`;
  return `${headline}
${followHints(task)}`;
}
