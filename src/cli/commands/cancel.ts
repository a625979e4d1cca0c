/** `claude-worker cancel ID`: stops a task (a running one with its whole process tree). */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';

export function registerCancelCommand(program: Command): void {
  program
    .command('cancel')
    .description('Cancel a task: a pending one at once, a running one is stopped')
    .argument('<id>', 'task id', parseTaskId)
    .option('--json', 'print the task as JSON')
    .action(async (id: number, options: { json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const task = await client.cancel(id);
      if (options.json) {
        printJson(task);
        return;
      }
      const style = stdoutStyle();
      if (task.status === 'cancelled') print(`Task ${id} ${style.status('cancelled')}.`);
      else if (task.status === 'running') print(`Task ${id} is being stopped; it ends ${style.status('cancelled', 'cancelled')} shortly.`);
      else print(`Task ${id} had already ended: ${style.status(task.status)}.`);
    });
}
