/** `claude-worker status [ID]`: one task in detail, or the last ten as a table. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ClaudeWorkerClient } from '../../client/http-client.js';
import { loadConfig } from '../../core/config.js';
import type { QueuePause } from '../../core/queue-pause.js';
import type { Task } from '../../core/task.js';
import { summaryLogPath } from '../../logs/task-logs.js';
import { parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { isLocalServerUrl } from '../server-address.js';
import { failureAdvice, localDaemonPid } from '../server-environment.js';
import { renderTaskDetail, renderTaskTable } from '../format.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { waitsForLabelsNobodyHas } from '../worker-labels.js';

const RECENT_TASKS = 10;

/** The queue pause a pending task waits for, if any (one more request, only for a pending task). */
async function queuePauseFor(
  client: ClaudeWorkerClient,
  task: Task,
): Promise<Pick<QueuePause, 'reason' | 'paused_until'> | null> {
  if (task.status !== 'pending') return null;
  const { paused_until, pause_reason } = await client.health();
  return paused_until === null ? null : { paused_until, reason: pause_reason ?? 'paused' };
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(`Show a task in detail (without ID: the last ${RECENT_TASKS} tasks)`)
    .argument('[id]', 'task id', parseTaskId)
    .option('--json', 'print the task (without ID: the page of tasks) as JSON')
    .action(async (id: number | undefined, options: { json?: boolean }) => {
      const config = loadConfig();
      const client = await connect(config, notice);
      const now = Date.now();
      if (id === undefined) {
        const page = await client.list({ limit: RECENT_TASKS });
        if (options.json) printJson(page);
        else print(renderTaskTable(page.tasks, now, stdoutStyle()));
        return;
      }
      const task = await client.get(id);
      if (options.json) {
        printJson(task);
        return;
      }
      // The log file is only worth naming when it is on this machine (another node may have run the task).
      const path = summaryLogPath(config.logDir, task.id);
      const logFile = isLocalServerUrl(config.serverUrl) && existsSync(path) ? path : undefined;
      print(
        renderTaskDetail(
          task,
          now,
          stdoutStyle(),
          logFile,
          await waitsForLabelsNobodyHas(client, task),
          await queuePauseFor(client, task),
        ),
      );
      const advice = failureAdvice(task, await localDaemonPid(config));
      if (advice !== null) notice(advice);
    });
}
