/** Orchestrations for people: a table of them, one in detail, and a progress line. */
import type { Orchestration, OrchestrationDetail, OrchestrationTask } from '../core/orchestration.js';
import { TASK_STATUSES } from '../core/task.js';
import { formatAge, formatCost, PLAIN, renderTable, shortenHome, taskSnippet, truncate, type Style } from './format.js';

const SNIPPET_WIDTH = 50;

/** `2 completed, 1 running, 3 waiting`: the statuses that hold any task. */
export function describeCounts(orchestration: Orchestration): string {
  const parts = TASK_STATUSES.filter((status) => orchestration.counts[status] > 0).map(
    (status) => `${orchestration.counts[status]} ${status}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no tasks';
}

/** `Orchestration 3 "nightly" running: 2 completed, 1 running`. */
export function orchestrationLine(orchestration: Orchestration, style: Style = PLAIN): string {
  return `Orchestration ${orchestration.id} "${orchestration.name}" ${style.status(orchestration.status)}: ${describeCounts(orchestration)}`;
}

export function renderOrchestrationTable(orchestrations: readonly Orchestration[], now: number, style: Style = PLAIN): string {
  if (orchestrations.length === 0) return 'No orchestrations.\n';
  return renderTable<Orchestration>(
    orchestrations,
    [
      { header: 'ID', cell: (o) => String(o.id) },
      { header: 'STATUS', cell: (o) => o.status, paint: (o, padded) => style.status(o.status, padded) },
      { header: 'AGE', cell: (o) => formatAge(o.created_at, now) },
      { header: 'TASKS', cell: (o) => describeCounts(o) },
      { header: 'NAME', cell: (o) => truncate(o.name, SNIPPET_WIDTH) },
    ],
    style,
  );
}

/** The headline and one row per task, in submit order. */
export function renderOrchestrationDetail(orchestration: OrchestrationDetail, style: Style = PLAIN): string {
  const facts = [
    `policy ${orchestration.failure_policy}`,
    orchestration.pass_results ? 'results passed down' : 'results not passed',
    ...(orchestration.key ? [`key ${orchestration.key}`] : []),
    orchestration.budget_usd === null
      ? `spent ${formatCost(orchestration.spent_usd)}`
      : `spent ${formatCost(orchestration.spent_usd)} of its ${formatCost(orchestration.budget_usd)} budget`,
  ];
  const table = renderTable<OrchestrationTask>(
    orchestration.tasks,
    [
      { header: 'TASK', cell: (t) => t.identifier ?? '' },
      { header: 'ID', cell: (t) => String(t.id) },
      { header: 'STATUS', cell: (t) => t.status, paint: (t, padded) => style.status(t.status, padded) },
      { header: 'AFTER', cell: (t) => t.depends_on.join(',') || '-' },
      { header: 'DIR', cell: (t) => shortenHome(t.working_directory) },
      { header: 'LAST ACTION / RESULT', cell: (t) => truncate(orchestrationTaskSnippet(t), SNIPPET_WIDTH) },
    ],
    style,
  );
  return `${style.bold(orchestrationLine(orchestration, style))}\n${facts.join(', ')}\n\n${table}${failures(orchestration.tasks, style)}`;
}

/** The table cuts errors short: each failed task's whole error, and where to read more. */
function failures(tasks: readonly OrchestrationTask[], style: Style): string {
  const failed = tasks.filter((task) => task.status === 'failed');
  if (failed.length === 0) return '';
  const lines = failed.map(
    (task) =>
      `${style.status('failed', `${task.identifier ?? 'task'} (task ${task.id}) failed`)}: ${task.error_message ?? 'no reason recorded'}\n` +
      `  details: claude-worker status ${task.id}   |   claude-worker logs ${task.id}`,
  );
  return `\n${lines.join('\n')}\n`;
}

function orchestrationTaskSnippet(task: OrchestrationTask): string {
  if (task.status === 'waiting') return `waiting for ${task.depends_on.join(', ')}`;
  return taskSnippet(task);
}
