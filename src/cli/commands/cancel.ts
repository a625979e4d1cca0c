/**
 * `claude-worker cancel ID...`: stops tasks (a running one with its whole
 * process tree); `cancel-orchestration ID` stops a whole graph.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { ClaudeWorkerError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { parseOrchestrationId, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import type { Style } from '../format.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { orchestrationLine } from '../orchestration-format.js';
import { describeError } from '../../app/report-error.js';

export function registerCancelCommand(program: Command): void {
  program
    .command('cancel')
    .description('Cancel tasks: a pending one at once, a running one is stopped')
    .argument('<ids...>', 'task ids', (value: string, previous: number[] = []) => [...previous, parseTaskId(value)])
    .option('--json', 'print the task as JSON (for several ids: an array of the tasks)')
    .action(async (given: number[], options: { json?: boolean }) => {
      const ids = [...new Set(given)];
      const client = await connect(loadConfig(), notice);
      const style = stdoutStyle();
      const tasks: Task[] = [];
      // One unknown id must not keep the others running: each is tried, and failures reported after it.
      for (const id of ids) {
        try {
          tasks.push(await client.cancel(id));
        } catch (error) {
          if (!(error instanceof ClaudeWorkerError)) throw error;
          notice(describeError(error));
          process.exitCode = 1;
          continue;
        }
        if (!options.json) print(describeCancelled(tasks.at(-1)!, style));
      }
      if (options.json) printJson(ids.length === 1 ? tasks[0] : tasks);
    });

  program
    .command('cancel-orchestration')
    .description('Cancel an orchestration: its waiting tasks are skipped, pending ones cancelled, running ones stopped')
    .argument('<id>', 'orchestration id', parseOrchestrationId)
    .option('--json', 'print the orchestration as JSON')
    .action(async (id: number, options: { json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const orchestration = await client.cancelOrchestration(id);
      if (options.json) {
        printJson(orchestration);
        return;
      }
      print(orchestrationLine(orchestration, stdoutStyle()));
      if (orchestration.status === 'running')
        print(`Its running tasks are being stopped; follow it with: claude-worker orchestration-status ${id} --watch`);
    });
}

function describeCancelled(task: Task, style: Style): string {
  if (task.status === 'cancelled') return `Task ${task.id} ${style.status('cancelled')}.`;
  if (task.status === 'running')
    return `Task ${task.id} is being stopped; it ends ${style.status('cancelled', 'cancelled')} shortly.`;
  return `Task ${task.id} had already ended: ${style.status(task.status)}.`;
}
