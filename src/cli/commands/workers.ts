/** `claude-worker workers`: the runner processes sharing the server's database. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { connect } from '../connect.js';
import { renderWorkerTable } from '../format.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';

export function registerWorkersCommand(program: Command): void {
  program
    .command('workers')
    .description('List the workers: state, running tasks of capacity, labels and last heartbeat')
    .option('--json', 'print the list as JSON ({ workers, retention_seconds })')
    .action(async (options: { json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const list = await client.workers();
      if (options.json) printJson(list);
      else print(renderWorkerTable(list, stdoutStyle()));
    });
}
