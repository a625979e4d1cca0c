/** `claude-worker usage` as text: a table per day, one per model, and the total. */
import type { UsageFigures, UsageReport } from '../core/usage.js';
import { formatCost, PLAIN, renderTable, type Column, type Style } from './format.js';

/** Tokens in thousands past 10,000: a day of work runs into millions. */
function formatTokens(count: number): string {
  return count < 10_000 ? String(count) : `${Math.round(count / 1000).toLocaleString('en-US')}k`;
}

function figureColumns<Row extends UsageFigures>(): Column<Row>[] {
  return [
    { header: 'TASKS', cell: (row) => String(row.tasks) },
    { header: 'FAILED', cell: (row) => String(row.failures) },
    { header: 'COST', cell: (row) => formatCost(row.cost_usd) },
    { header: 'INPUT', cell: (row) => formatTokens(row.input_tokens) },
    { header: 'OUTPUT', cell: (row) => formatTokens(row.output_tokens) },
    { header: 'CACHE WRITE', cell: (row) => formatTokens(row.cache_creation_input_tokens) },
    { header: 'CACHE READ', cell: (row) => formatTokens(row.cache_read_input_tokens) },
  ];
}

export function renderUsage(report: UsageReport, style: Style = PLAIN): string {
  const period = report.days === 1 ? 'today (UTC)' : `the last ${report.days} days (UTC, since ${report.since})`;
  if (report.total.tasks === 0) return `No task ran and ended ${report.days === 1 ? 'today' : `in ${period}`}.\n`;
  type DayRow = UsageReport['by_day'][number];
  type ModelRow = UsageReport['by_model'][number];
  const byDay = renderTable<DayRow>(
    report.by_day,
    [{ header: 'DAY', cell: (row) => row.day }, ...figureColumns<DayRow>()],
    style,
  );
  const byModel = renderTable<ModelRow>(
    report.by_model,
    [{ header: 'MODEL', cell: (row) => row.model ?? '(default)' }, ...figureColumns<ModelRow>()],
    style,
  );
  const { total } = report;
  const failed = total.failures === 0 ? '' : `, ${total.failures} failed`;
  return (
    `${style.bold(`Usage of ${period}: ${formatCost(total.cost_usd)}, ${total.tasks} tasks${failed}`)}\n\n` +
    `${byDay}\n${byModel}${style.dim('Costs are the estimates Claude Code reported.')}\n`
  );
}
