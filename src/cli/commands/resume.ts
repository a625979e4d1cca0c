/** `claude-worker resume`: lifts the queue pause of a usage limit or the daily budget by hand. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { connect } from '../connect.js';
import { notice, print, printJson } from '../io.js';

export function registerResumeCommand(program: Command): void {
  program
    .command('resume')
    .description(
      'Lift the queue pause (a usage limit, the daily budget): every worker claims again, and tasks a usage limit sent back start now',
    )
    .option('--json', 'print the outcome as JSON ({ resumed, pause })')
    .action(async (options: { json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const outcome = await client.resumeQueue();
      if (options.json) printJson(outcome);
      else if (outcome.pause === null) print('The queue was not paused.');
      else print(`Queue resumed (it was paused: ${outcome.pause.reason}, until ${outcome.pause.paused_until}).`);
    });
}
