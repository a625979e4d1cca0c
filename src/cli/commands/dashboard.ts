/** `claude-worker dashboard`: the web dashboard's address, opened in the browser when there is one. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { connect } from '../connect.js';
import { notice, print } from '../io.js';
import { openInBrowser } from '../open-browser.js';

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description("Print the web dashboard's URL and open it in the browser ($BROWSER, xdg-open or open)")
    .option('--no-open', 'only print the URL')
    .action(async (options: { open: boolean }) => {
      const config = loadConfig();
      // Starts the local server when it is not running, as every command does.
      await connect(config, notice);
      const url = new URL('/', config.serverUrl).href;
      print(url);
      if (config.token !== null) notice('Sign in on the page with the token in CLAUDE_WORKER_TOKEN.');
      if (options.open && !(await openInBrowser(url))) notice('No browser could be started: open the URL yourself.');
    });
}
