/** `claude-worker orchestrate FILE`: submits a task graph, and with --wait follows it to its end. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { createOrchestrationInputSchema, type CreateOrchestrationInput } from '../../core/orchestration-schemas.js';
import { parseOrThrow } from '../../core/schemas.js';
import { validateOrchestrationInput } from '../../service/orchestration-input.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { renderOrchestrationDetail } from '../orchestration-format.js';
import { readOrchestrationFile, reportedInFile } from '../orchestration-file.js';
import { isLocalServerUrl } from '../server-address.js';
import { followOrchestration } from './orchestration-status.js';

export function registerOrchestrateCommand(program: Command): void {
  program
    .command('orchestrate')
    .description('Submit an orchestration: tasks that run when the tasks they depend on have ended')
    .argument(
      '<file>',
      'the graph: a .json, .yaml or .yml file ({ name, failure_policy, pass_results, key, budget_usd, tasks: [...] })',
    )
    .option('-w, --wait', 'follow it until it ends; exit 0 when every task completed, 1 otherwise')
    .option('--json', 'print the orchestration as JSON (with --wait: the final one)')
    .option('--webhook <url>', "POST its webhooks (and its tasks') here too; overrides the file's webhook_url")
    .addHelpText(
      'after',
      `
Relative working directories resolve against the file's directory; without a name the
orchestration is named after the file (build.json: build).
Example file:
  { "name": "build", "tasks": [
      { "identifier": "schema", "execution_prompt": "Write db/schema.sql", "working_directory": "./app" },
      { "identifier": "api", "depends_on": ["schema"], "execution_prompt": "Implement src/api.ts", "working_directory": "./app" } ] }`,
    )
    .action(async (file: string, options: { wait?: boolean; json?: boolean; webhook?: string }) => {
      const config = loadConfig();
      const read = (await readOrchestrationFile(file, process.cwd())) as CreateOrchestrationInput;
      const input = options.webhook === undefined ? read : { ...read, webhook_url: options.webhook };
      // Bad input is reported before anything starts: no daemon, nothing stored.
      await reportedInFile(file, () =>
        isLocalServerUrl(config.serverUrl)
          ? validateOrchestrationInput(input)
          : parseOrThrow(createOrchestrationInputSchema, input),
      );

      const client = await connect(config, notice);
      const { orchestration, deduplicated } = await reportedInFile(file, () => client.submitOrchestration(input));
      if (options.wait) {
        await followOrchestration(client, orchestration, options.json === true);
        return;
      }
      if (options.json) {
        printJson(orchestration);
        return;
      }
      const headline = deduplicated
        ? `Orchestration ${orchestration.id} already exists for this key (${orchestration.status}).`
        : `Orchestration ${orchestration.id} submitted with ${orchestration.tasks.length} tasks.`;
      print(`${headline}\nFollow it:  claude-worker orchestration-status ${orchestration.id} --watch\n`);
      print(renderOrchestrationDetail(orchestration, stdoutStyle()));
    });
}
