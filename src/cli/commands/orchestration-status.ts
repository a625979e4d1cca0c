/** `claude-worker orchestration-status ID`: an orchestration and its tasks, once or until it ends. */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import type { OrchestrationDetail } from '../../core/orchestration.js';
import type { TaskService } from '../../service/task-service.js';
import { parseOrchestrationId } from '../arguments.js';
import { connect } from '../connect.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { renderOrchestrationDetail } from '../orchestration-format.js';
import { watchOrchestration } from '../orchestration-watch.js';

export function registerOrchestrationStatusCommand(program: Command): void {
  program
    .command('orchestration-status')
    .description('Show an orchestration and its tasks')
    .argument('<id>', 'orchestration id', parseOrchestrationId)
    .option('-w, --watch', 'follow it until it ends; exit 0 when every task completed, 1 otherwise')
    .option('--json', 'print the orchestration as JSON (with --watch: the final one)')
    .action(async (id: number, options: { watch?: boolean; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const orchestration = await client.getOrchestration(id);
      if (options.watch) {
        await followOrchestration(client, orchestration, options.json === true);
        return;
      }
      if (options.json) printJson(orchestration);
      else print(renderOrchestrationDetail(orchestration, stdoutStyle()));
    });
}

/**
 * Follows an orchestration to its end, prints it, and sets the exit code:
 * 0 when every task completed, 1 when it failed or was cancelled, 130 when
 * interrupted (Ctrl-C stops watching, never the orchestration).
 */
export async function followOrchestration(client: TaskService, first: OrchestrationDetail, json: boolean): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  let final: OrchestrationDetail;
  try {
    // With --json, stdout carries the final orchestration only.
    const out = json ? { write: () => true } : process.stdout;
    final = await watchOrchestration(client, first, { out, style: stdoutStyle(), signal: stop.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (json) printJson(final);
  else print(`\n${renderOrchestrationDetail(final, stdoutStyle())}`);
  process.exitCode = final.status === 'completed' ? 0 : final.status === 'running' ? 130 : 1;
}
