/**
 * Text for people: durations, ages, tables and status colours. Pure functions;
 * whether colour is wanted is decided once, by the caller, from the terminal.
 */
import { homedir } from 'node:os';
import { formatLabels } from '../core/labels.js';
import { describePause, describeWait, type QueuePause } from '../core/queue-pause.js';
import type { Task, TaskStatus } from '../core/task.js';
import type { WorkerList, WorkerState } from '../core/worker.js';

export interface Style {
  status(status: TaskStatus, text?: string): string;
  dim(text: string): string;
  bold(text: string): string;
  /** A line of a unified diff: added lines green, removed ones red, hunk headers cyan, file headers bold. */
  diffLine(line: string): string;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};

const STATUS_COLOUR: Record<TaskStatus, string> = {
  pending: ANSI.cyan,
  running: ANSI.yellow,
  completed: ANSI.green,
  failed: ANSI.red,
  cancelled: ANSI.dim,
  waiting: ANSI.cyan,
  skipped: ANSI.dim,
};

export const PLAIN: Style = { status: (status, text = status) => text, dim: (t) => t, bold: (t) => t, diffLine: (t) => t };

function colouredDiffLine(line: string): string {
  const colour = /^(\+\+\+|---|diff |index )/.test(line)
    ? ANSI.bold
    : line.startsWith('+')
      ? ANSI.green
      : line.startsWith('-')
        ? ANSI.red
        : line.startsWith('@@')
          ? ANSI.cyan
          : null;
  return colour && line !== '' ? `${colour}${line}${ANSI.reset}` : line;
}

const COLOURED: Style = {
  status: (status, text = status) => `${STATUS_COLOUR[status]}${text}${ANSI.reset}`,
  dim: (t) => `${ANSI.dim}${t}${ANSI.reset}`,
  bold: (t) => `${ANSI.bold}${t}${ANSI.reset}`,
  diffLine: colouredDiffLine,
};

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? COLOURED : PLAIN;
}

/** 950 ms → "0.9s", 65 s → "1m05s", 2 h 3 min → "2h03m". */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/** How long ago, coarsely: "12s", "5m", "3h", "2d". */
export function formatAge(iso: string, now: number): string {
  return formatAgeSeconds(Math.floor((now - Date.parse(iso)) / 1000));
}

/** A number of seconds, coarsely: "12s", "5m", "3h", "2d". */
export function formatAgeSeconds(seconds: number): string {
  seconds = Math.max(0, seconds);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** How long a task ran (or has been running), when it started at all. */
export function taskElapsedMs(task: Task, now: number): number | null {
  if (task.started_at === null) return null;
  const end = task.ended_at === null ? now : Date.parse(task.ended_at);
  return end - Date.parse(task.started_at);
}

export function formatCost(costUsd: number): string {
  return `$${costUsd.toFixed(costUsd < 1 ? 4 : 2)}`;
}

/** One line, at most `width` characters, with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  return cut(text.replace(/\s+/g, ' ').trim(), width);
}

/** At most `width` characters, with an ellipsis when cut. */
export function cut(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

export function shortenHome(path: string, home = homedir()): string {
  return home !== '/' && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}

/** What a task is doing or did, in a few words: its outcome once ended, else its last action. */
export function taskSnippet(task: Task): string {
  if ((task.status === 'failed' || task.status === 'skipped') && task.error_message) return task.error_message;
  if (task.status === 'completed' && task.final_summary) return task.final_summary;
  const wait = describeWait(task);
  if (wait !== null) return wait;
  if (task.last_action_cache !== null || task.status !== 'pending') return task.last_action_cache ?? '';
  const required = formatLabels(task.required_labels);
  return required ? `waiting for a worker with ${required}` : 'waiting for a worker';
}

export interface Column<Row> {
  header: string;
  cell(row: Row): string;
  /** Colour applied after padding, so escape codes do not upset the widths. */
  paint?(row: Row, padded: string): string;
}

/** A plain-text table: a header and one line per row, columns separated by two spaces. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], style: Style = PLAIN): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const last = columns.length - 1;
  const pad = (text: string, i: number) => (i === last ? text : text.padEnd(widths[i]!));
  const header = columns.map((column, i) => pad(column.header, i)).join('  ');
  const lines = rows.map((row, r) =>
    columns
      .map((column, i) => {
        const padded = pad(cells[r]![i]!, i);
        return column.paint ? column.paint(row, padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [style.bold(header.trimEnd()), ...lines].join('\n') + '\n';
}

const SNIPPET_WIDTH = 60;

/** `+40 -2`: what a task's branch changed, once it is known. */
function changeCounts(task: Task): string | null {
  return task.changes === null ? null : `+${task.changes.insertions} -${task.changes.deletions}`;
}

/** The task table of `list` and `status`, newest first as given; a BRANCH column when a task has a branch. */
export function renderTaskTable(tasks: readonly Task[], now: number, style: Style = PLAIN): string {
  if (tasks.length === 0) return 'No tasks.\n';
  const columns: Column<Task>[] = [
    { header: 'ID', cell: (t) => String(t.id) },
    { header: 'STATUS', cell: (t) => t.status, paint: (t, padded) => style.status(t.status, padded) },
    { header: 'AGE', cell: (t) => formatAge(t.created_at, now) },
    { header: 'LAST ACTION / RESULT', cell: (t) => truncate(taskSnippet(t), SNIPPET_WIDTH) },
    { header: 'DIR', cell: (t) => shortenHome(t.working_directory) },
  ];
  if (tasks.some((t) => t.branch !== null)) {
    columns.push({ header: 'BRANCH', cell: (t) => [t.branch ?? '', changeCounts(t)].filter(Boolean).join(' ') });
  }
  return renderTable<Task>(tasks, columns, style);
}

/** The footer of a page that is not the last: the command that reads the next one. */
export function nextPageLine(what: string, command: string, cursor: string | null): string {
  return cursor === null ? '' : `More ${what}: ${command} --cursor ${cursor}\n`;
}

/**
 * Every field people care about, one per line, for `status ID`.
 * `noWorkerQualifies`: no active worker has the labels the task requires.
 */
export function renderTaskDetail(
  task: Task,
  now: number,
  style: Style = PLAIN,
  logFile?: string,
  noWorkerQualifies = false,
  queuePause: Pick<QueuePause, 'reason' | 'paused_until'> | null = null,
): string {
  const elapsed = taskElapsedMs(task, now);
  const required = formatLabels(task.required_labels);
  const fields: [string, string | null][] = [
    ['Status', style.status(task.status) + (task.cancel_requested && task.status === 'running' ? ' (cancelling)' : '')],
    ['Directory', task.working_directory],
    ['Continues', task.continues === null ? null : `task ${task.continues}`],
    [
      'Branch',
      task.branch === null ? null : task.branch + (task.changes ? ` (${changeCounts(task)} in ${task.changes.files} files)` : ''),
    ],
    ['Worktree', task.worktree_path],
    ['Base', task.base_commit?.slice(0, 12) ?? null],
    ['Created', `${task.created_at} (${formatAge(task.created_at, now)} ago)`],
    ['Started', task.started_at],
    ['Ended', task.ended_at],
    ['Duration', elapsed === null ? null : formatDuration(elapsed) + (task.ended_at === null ? ' so far' : '')],
    ['Cost', task.cost_usd === null ? null : formatCost(task.cost_usd)],
    ['Budget', task.max_budget_usd === null ? null : formatCost(task.max_budget_usd)],
    ['Turns', task.num_turns === null ? null : String(task.num_turns) + (task.max_turns ? ` (max ${task.max_turns})` : '')],
    ['Model', task.model],
    ['Permissions', task.permission_mode],
    [
      'Attempts',
      `${task.attempts} of ${task.max_attempts}` +
        (task.limit_hits > 0 ? ` (and ${task.limit_hits} stopped by a usage limit)` : ''),
    ],
    ['Waiting', describeWait(task, new Date(now))],
    // A pending task waits for the pause too, whatever its own not_before.
    ['Queue', queuePause !== null && task.status === 'pending' ? describePause(queuePause, new Date(now)) : null],
    ['Requires', required === '' ? null : required + (noWorkerQualifies ? ' (no active worker has these labels: it waits)' : '')],
    ['Last action', task.last_action_cache],
    [
      'Error',
      task.error_message === null ? null : task.error_code ? `[${task.error_code}] ${task.error_message}` : task.error_message,
    ],
    ['Session', task.session_id],
    ['Logs', `claude-worker logs ${task.id}` + (logFile ? `  (${shortenHome(logFile)})` : '')],
  ];
  const shown = fields.filter((field): field is [string, string] => field[1] !== null);
  const width = Math.max(...shown.map(([label]) => label.length)) + 1;
  const lines = [style.bold(`Task ${task.id}`), ...shown.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`)];
  lines.push('', style.bold('Prompt:'), indent(firstLines(task.execution_prompt, PROMPT_PREVIEW_LINES)));
  if (task.final_summary !== null) lines.push('', style.bold('Summary:'), indent(task.final_summary));
  return lines.join('\n') + '\n';
}

/** Worker states in the colour of the task status of the same mood. */
const WORKER_STATE_COLOUR: Record<WorkerState, TaskStatus> = {
  active: 'completed',
  draining: 'running',
  stopped: 'cancelled',
  lost: 'failed',
};

/** The table of `workers`, with a line on how long stopped and lost workers stay listed. */
export function renderWorkerTable(list: WorkerList, style: Style = PLAIN, now: Date = new Date()): string {
  const kept = `Stopped and lost workers stay listed for ${formatAgeSeconds(list.retention_seconds)} after their last heartbeat.`;
  const paused = list.queue_pause === null ? '' : `${style.status('failed', describePause(list.queue_pause, now))}\n`;
  if (list.workers.length === 0) {
    return `${paused}No workers. Start one with: claude-worker worker --db <database>\n${style.dim(kept)}\n`;
  }
  const table = renderTable(
    list.workers,
    [
      { header: 'NAME', cell: (w) => w.name },
      { header: 'HOST', cell: (w) => w.host },
      // Several workers may share a name and a host: the pid tells them apart.
      { header: 'PID', cell: (w) => String(w.pid) },
      { header: 'STATE', cell: (w) => w.state, paint: (w, padded) => style.status(WORKER_STATE_COLOUR[w.state], padded) },
      { header: 'RUNNING', cell: (w) => `${w.running}/${w.capacity}` },
      { header: 'LABELS', cell: (w) => formatLabels(w.labels) || '-' },
      { header: 'HEARTBEAT', cell: (w) => `${formatAgeSeconds(w.heartbeat_age_seconds)} ago` },
    ],
    style,
  );
  return `${paused}${table}${style.dim(kept)}\n`;
}

/** A piped diff can make the prompt thousands of lines long; `--json` has all of it. */
const PROMPT_PREVIEW_LINES = 20;

function firstLines(text: string, count: number): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length <= count) return lines.join('\n');
  return [...lines.slice(0, count), `… (${lines.length - count} more lines; see --json)`].join('\n');
}

function indent(text: string): string {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
