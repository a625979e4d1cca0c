/** What `run` and `continue` do once their task is stored: print it, or with --watch follow it to its end. */
import type { Config } from '../core/config.js';
import { isTerminal, type Task } from '../core/task.js';
import type { TaskService } from '../service/task-service.js';
import { notifyDesktop } from './desktop-notification.js';
import { failureAdvice, localDaemonPid } from './server-environment.js';
import { notice, print, printJson, stdoutStyle } from './io.js';
import { renderOutcome, watchTask } from './watch.js';

export interface SubmittedOutputOptions {
  watch?: boolean;
  json?: boolean;
  /** With --watch: a desktop notification when the task ends. */
  notify?: boolean;
}

/** `message`: what to print without --watch or --json. Sets the exit code with --watch. */
export async function reportSubmitted(
  client: TaskService,
  config: Config,
  task: Task,
  options: SubmittedOutputOptions,
  message: string,
): Promise<void> {
  if (options.watch) {
    const final = await watch(client, task, options.json === true);
    if (options.json) printJson(final);
    else print(renderOutcome(final, stdoutStyle()));
    const advice = failureAdvice(final, await localDaemonPid(config));
    if (advice !== null) notice(advice);
    if (options.notify && isTerminal(final.status)) await notifyDesktop([final]);
    // 130: interrupted while watching (the task itself keeps running).
    process.exitCode = final.status === 'completed' ? 0 : isTerminal(final.status) ? 1 : 130;
    return;
  }
  if (options.json) printJson(task);
  else print(message);
}

/** Follows the task; Ctrl-C stops watching, never the task. */
async function watch(client: TaskService, task: Task, quiet: boolean): Promise<Task> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    // With --json, stdout carries the final task only.
    const out = quiet ? { write: () => true } : process.stdout;
    return await watchTask(client, task, { out, style: stdoutStyle(), signal: stop.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** The lines that tell how to follow or cancel a task. */
export function followHints(task: Task): string {
  return `Follow it:  claude-worker status ${task.id}   |   claude-worker logs ${task.id} -f
Cancel it:  claude-worker cancel ${task.id}`;
}
