/** `claude-worker list-orchestrations`: recent orchestrations, newest first. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { MAX_LIST_LIMIT } from '../../core/schemas.js';
import { integerIn } from '../arguments.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { renderOrchestrationTable } from '../orchestration-format.js';

export function registerListOrchestrationsCommand(program: Command): void {
  program
    .command('list-orchestrations')
    .description('List orchestrations, newest first')
    .option('--limit <n>', `at most this many (up to ${MAX_LIST_LIMIT})`, integerIn(1, MAX_LIST_LIMIT), 20)
    .option('--json', 'print the page as JSON ({ orchestrations, next_cursor })')
    .action(async (options: { limit: number; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const page = await client.listOrchestrations({ limit: options.limit });
      if (options.json) printJson(page);
      else print(renderOrchestrationTable(page.orchestrations, Date.now(), stdoutStyle()));
    });
}
