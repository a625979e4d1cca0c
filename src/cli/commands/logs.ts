/** `claude-worker logs ID`: the readable summary log of a task; `-f` follows it until the task ends. */
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { integerIn, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { notice } from '../io.js';

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
    .addOption(new Option('--tail <n>', 'only the last N lines').argParser(integerIn(1, 100_000)).conflicts('follow'))
    .action(async (id: number, options: LogsOptions) => {
      const client = await connect(loadConfig(), notice);
      if (!options.follow) {
        const text = await client.logs(id, options.tail === undefined ? {} : { tail: options.tail });
        if (text === '') notice(`The log of task ${id} is empty so far.`);
        process.stdout.write(text);
        return;
      }
      const stop = new AbortController();
      const onInterrupt = () => stop.abort();
      process.once('SIGINT', onInterrupt);
      try {
        for await (const line of client.followLogs(id, stop.signal)) process.stdout.write(`${line}\n`);
      } finally {
        process.off('SIGINT', onInterrupt);
      }
    });
}
