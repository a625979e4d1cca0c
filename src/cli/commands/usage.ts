/** `claude-worker usage`: what tasks cost, by UTC day and by model. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { DEFAULT_USAGE_DAYS, MAX_USAGE_DAYS } from '../../core/usage.js';
import { integerIn } from '../arguments.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { renderUsage } from '../usage-format.js';

export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description('What tasks cost: cost, tokens, tasks and failures by UTC day and by model')
    .option(
      '--days <n>',
      `how many days, today included (default ${DEFAULT_USAGE_DAYS})`,
      integerIn(1, MAX_USAGE_DAYS),
      DEFAULT_USAGE_DAYS,
    )
    .option('--json', 'print the report as JSON ({ days, since, by_day, by_model, total })')
    .action(async (options: { days: number; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const report = await client.usage({ days: options.days });
      if (options.json) printJson(report);
      else print(renderUsage(report, stdoutStyle()));
    });
}
