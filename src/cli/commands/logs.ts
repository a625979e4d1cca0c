/** `claude-worker logs ID`: the readable summary log of a task; `-f` follows it until the task ends. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import type { TaskService } from '../../service/task-service.js';
import { integerIn, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { notice } from '../io.js';

/** Like the other followers: Ctrl-C stops reading (never the task), and says so in the exit code. */
const INTERRUPTED_EXIT_CODE = 130;

interface LogsOptions {
  follow?: boolean;
  tail?: number;
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description("Print a task's summary log (one line per tool use or message)")
    .argument('<id>', 'task id', parseTaskId)
    .option('-f, --follow', 'keep printing new lines until the task ends')
    .option('--tail <n>', 'only the last N lines (with -f: then the new ones)', integerIn(1, 100_000))
    .action(async (id: number, options: LogsOptions) => {
      const client = await connect(loadConfig(), notice);
      if (!options.follow) {
        const text = await client.logs(id, options.tail === undefined ? {} : { tail: options.tail });
        if (text === '') notice(`The log of task ${id} is empty so far.`);
        process.stdout.write(text);
        return;
      }
      const skip = options.tail === undefined ? 0 : await linesBeforeTail(client, id, options.tail);
      const stop = new AbortController();
      const onInterrupt = () => stop.abort();
      process.once('SIGINT', onInterrupt);
      try {
        let seen = 0;
        for await (const line of client.followLogs(id, stop.signal)) {
          if (seen++ >= skip) process.stdout.write(`${line}\n`);
        }
      } finally {
        process.off('SIGINT', onInterrupt);
      }
      if (stop.signal.aborted) process.exitCode = INTERRUPTED_EXIT_CODE;
    });
}

/**
 * How many lines to leave out so that following starts at the last `tail`
 * lines: a follow always streams from the first line, and the log only grows,
 * so the lines before the last `tail` of this snapshot are the ones to skip.
 */
async function linesBeforeTail(client: TaskService, id: number, tail: number): Promise<number> {
  const text = await client.logs(id);
  const lines = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
  return Math.max(0, lines - tail);
}
