/** `claude-worker list-orchestrations`: recent orchestrations, newest first. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { MAX_LIST_LIMIT } from '../../core/task.js';
import { integerIn } from '../arguments.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { nextPageLine } from '../format.js';
import { renderOrchestrationTable } from '../orchestration-format.js';

export function registerListOrchestrationsCommand(program: Command): void {
  program
    .command('list-orchestrations')
    .description('List orchestrations, newest first')
    .option('--limit <n>', `at most this many (up to ${MAX_LIST_LIMIT})`, integerIn(1, MAX_LIST_LIMIT), 20)
    .option('--cursor <cursor>', 'start after this point: the cursor a previous page ended with')
    .option('--json', 'print the page as JSON ({ orchestrations, next_cursor })')
    .action(async (options: { limit: number; cursor?: string; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const page = await client.listOrchestrations({ limit: options.limit, cursor: options.cursor });
      if (options.json) {
        printJson(page);
        return;
      }
      const command = `claude-worker list-orchestrations --limit ${options.limit}`;
      print(
        renderOrchestrationTable(page.orchestrations, Date.now(), stdoutStyle()) +
          nextPageLine('orchestrations', command, page.next_cursor),
      );
    });
}
