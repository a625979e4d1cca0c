/**
 * `--notify`: a desktop notification when watched tasks end, through
 * whichever of `notify-send` (Linux desktops) or `osascript` (macOS) is on
 * PATH. Without either, the command goes on with a one-line note: a
 * notification is a courtesy, never a reason to fail.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Task } from '../core/task.js';
import { notice } from './io.js';

/** The first executable `name` in the directories of PATH, or null. */
function onPath(name: string, path: string | undefined): string | null {
  for (const directory of (path ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; the next directory may have it.
    }
  }
  return null;
}

/** What the notification says about `tasks`: one task by its outcome, several by their count per status. */
export function notificationText(tasks: readonly Task[]): { title: string; body: string } {
  if (tasks.length === 1) {
    const [task] = tasks as [Task];
    const detail = task.status === 'completed' ? task.final_summary : task.error_message;
    return { title: `Task ${task.id} ${task.status}`, body: (detail ?? '').split('\n')[0]!.slice(0, 200) };
  }
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  return {
    title: `${tasks.length} tasks ended`,
    body: [...counts].map(([status, count]) => `${count} ${status}`).join(', '),
  };
}

/** AppleScript string literal: backslashes and quotes escaped. */
const appleScriptString = (text: string) => `"${text.replace(/[\\"]/g, '\\$&')}"`;

/** Shows the notification and waits until the notifier has taken it. */
export async function notifyDesktop(tasks: readonly Task[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { title, body } = notificationText(tasks);
  const notifySend = onPath('notify-send', env.PATH);
  const osascript = notifySend === null ? onPath('osascript', env.PATH) : null;
  let command: [string, string[]];
  if (notifySend !== null) command = [notifySend, ['--app-name=claude-worker', title, body]];
  else if (osascript !== null)
    command = [osascript, ['-e', `display notification ${appleScriptString(body)} with title ${appleScriptString(title)}`]];
  else {
    notice('note: --notify found neither notify-send nor osascript on PATH; no desktop notification was shown');
    return;
  }
  const [file, args] = command;
  await new Promise<void>((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore' });
    child.on('error', (error) => {
      notice(`note: --notify could not run ${file}: ${error.message}`);
      resolve();
    });
    child.on('exit', () => resolve());
  });
}
