/** `claude-worker continue ID MESSAGE`: a follow-up that resumes an ended task's conversation on its branch. */
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import type { ContinueTaskInput } from '../../core/schemas.js';
import { MAX_TIMEOUT_SECONDS, PERMISSION_MODES, type PermissionMode, type Task } from '../../core/task.js';
import { dollars, integerIn, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { notice } from '../io.js';
import { readInstruction } from '../prompt-input.js';
import { followHints, reportSubmitted } from '../submitted-task.js';

interface ContinueOptions {
  model?: string;
  maxTurns?: number;
  maxBudget?: number;
  timeout?: number;
  permissionMode?: PermissionMode;
  watch?: boolean;
  notify?: boolean;
  json?: boolean;
}

export function registerContinueCommand(program: Command): void {
  program
    .command('continue')
    .description(
      'Follow up an ended task: a new task resumes its Claude Code conversation, in its worktree and on its branch, with MESSAGE as the next message',
    )
    .argument('<id>', 'the completed, failed or cancelled task to continue', parseTaskId)
    .argument('<message>', 'what the agent should do now: text, or a .md/.txt file holding it')
    .option('-m, --model <model>', "model id or alias (default: the continued task's)")
    .option('--max-turns <n>', 'stop the agent after this many turns', integerIn(1, 10_000))
    .option('--max-budget <usd>', 'stop the agent once its estimated cost reaches this many US dollars', dollars('--max-budget'))
    .option('--timeout <seconds>', 'stop the agent after this many seconds', integerIn(1, MAX_TIMEOUT_SECONDS))
    .addOption(
      new Option('--permission-mode <mode>', "Claude Code permission mode (default: the continued task's)").choices(
        PERMISSION_MODES,
      ),
    )
    .option('-w, --watch', 'follow the new task until it ends; exit 0 when completed, 1 otherwise')
    .option('--json', 'print the new task as JSON (with --watch: the final task)')
    .option('--notify', 'with --watch: a desktop notification (notify-send or osascript) when the task ends')
    .addHelpText(
      'after',
      `
Examples:
  claude-worker continue 12 "Also cover the error cases with tests"
  claude-worker continue 12 review-notes.md --watch`,
    )
    .action(async (id: number, message: string, options: ContinueOptions) => {
      const config = loadConfig();
      const input: ContinueTaskInput = {
        message: await readInstruction(message, process.cwd()),
        model: options.model ?? null,
        max_turns: options.maxTurns ?? null,
        max_budget_usd: options.maxBudget ?? null,
        timeout_seconds: options.timeout ?? null,
        permission_mode: options.permissionMode ?? null,
      };
      const client = await connect(config, notice);
      const task = await client.continueTask(id, input);
      await reportSubmitted(client, config, task, options, continuedMessage(task, id));
    });
}

function continuedMessage(task: Task, parentId: number): string {
  return `Task ${task.id} submitted (${task.status}): it continues task ${parentId}${task.branch ? ` on ${task.branch}` : ''}.
${followHints(task)}`;
}
