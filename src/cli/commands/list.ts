/** `claude-worker list`: recent tasks, newest first. */
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { MAX_LIST_LIMIT } from '../../core/task.js';
import { TASK_STATUSES, type TaskStatus } from '../../core/task.js';
import { integerIn } from '../arguments.js';
import { connect } from '../connect.js';
import { nextPageLine, renderTaskTable } from '../format.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';

interface ListOptions {
  status?: TaskStatus;
  limit: number;
  cursor?: string;
  json?: boolean;
}

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('List tasks, newest first')
    .addOption(new Option('--status <status>', 'only tasks in this status').choices(TASK_STATUSES))
    .option('--limit <n>', `at most this many tasks (up to ${MAX_LIST_LIMIT})`, integerIn(1, MAX_LIST_LIMIT), 20)
    .option('--cursor <cursor>', 'start after this point: the cursor a previous page ended with')
    .option('--json', 'print the page of tasks as JSON ({ tasks, next_cursor })')
    .action(async (options: ListOptions) => {
      const client = await connect(loadConfig(), notice);
      const page = await client.list({ status: options.status, limit: options.limit, cursor: options.cursor });
      if (options.json) {
        printJson(page);
        return;
      }
      const command = `claude-worker list${options.status ? ` --status ${options.status}` : ''} --limit ${options.limit}`;
      print(renderTaskTable(page.tasks, Date.now(), stdoutStyle()) + nextPageLine('tasks', command, page.next_cursor));
    });
}
