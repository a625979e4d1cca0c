/**
 * `--watch`: follows a task until it ends, showing its status and last action.
 * On a terminal one status line is rewritten in place (with a ticking clock);
 * elsewhere (a CI log, a file) a line is printed on each change only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal, type Task } from '../core/task.js';
import type { TaskService } from '../service/task-service.js';
import { cut, formatCost, formatDuration, taskElapsedMs, truncate, type Style } from './format.js';

/** How often the task is read again; a status read is one small local request. */
export const WATCH_POLL_MS = 500;

export interface WatchOptions {
  out: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  style: Style;
  /** Stops watching (the task itself keeps running). */
  signal?: AbortSignal;
  pollMs?: number;
  now?: () => number;
}

/** Resolves with the task once it has ended, or with its latest state when `signal` aborts. */
export async function watchTask(service: TaskService, first: Task, options: WatchOptions): Promise<Task> {
  const { out, style, signal, pollMs = WATCH_POLL_MS, now = Date.now } = options;
  const inPlace = out.isTTY === true;
  let task = first;
  let lastPrinted = '';
  // The outcome printed after watching says how the task ended; the progress line stops before.
  while (!isTerminal(task.status)) {
    if (inPlace) {
      const width = Math.max(20, (out.columns ?? 80) - 1);
      out.write(`\r\x1b[2K${progressLine(task, now(), style, width)}`);
    } else {
      const line = progressLine(task, now(), style, Number.POSITIVE_INFINITY, false);
      if (line !== lastPrinted) out.write(`${line}\n`);
      lastPrinted = line;
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      break; // aborted while waiting
    }
    task = await service.get(task.id);
  }
  if (inPlace) out.write('\r\x1b[2K');
  return task;
}

/** `Task 12  running  1m05s  [Write] src/auth.ts`; the clock is left out where lines are compared. */
export function progressLine(task: Task, now: number, style: Style, width: number, withClock = true): string {
  const elapsed = taskElapsedMs(task, now);
  const parts = [`Task ${task.id}`, task.status];
  if (withClock && elapsed !== null && !isTerminal(task.status)) parts.push(formatDuration(elapsed));
  const action = task.last_action_cache ?? (task.status === 'pending' ? 'waiting for a worker' : null);
  if (action !== null && !isTerminal(task.status)) parts.push(action);
  const line = cut(parts.map((part) => truncate(part, Number.POSITIVE_INFINITY)).join('  '), width);
  // Colour the status word only after truncating, so escape codes are never cut.
  return line.replace(`  ${task.status}`, `  ${style.status(task.status)}`);
}

/** What a finished task came to: its summary, or its error, for people. */
export function renderOutcome(task: Task, style: Style): string {
  const elapsed = taskElapsedMs(task, Date.parse(task.ended_at ?? new Date().toISOString()));
  const facts = [
    elapsed === null ? null : formatDuration(elapsed),
    task.num_turns === null ? null : `${task.num_turns} turn${task.num_turns === 1 ? '' : 's'}`,
    task.cost_usd === null ? null : formatCost(task.cost_usd),
  ].filter((fact): fact is string => fact !== null);
  const headline = `Task ${task.id} ${style.status(task.status)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  switch (task.status) {
    case 'completed':
      return `${headline}\n${task.final_summary ? `\n${task.final_summary.replace(/\s+$/, '')}\n` : ''}`;
    case 'failed':
      return `${headline}: ${task.error_message ?? 'no reason recorded'}\nLogs: claude-worker logs ${task.id}\n`;
    case 'cancelled':
    case 'skipped':
      return `${headline}${task.error_message ? `: ${task.error_message}` : ''}\n`;
    default:
      return `${headline}\nStill ${task.status}; follow it with: claude-worker status ${task.id}\n`;
  }
}
