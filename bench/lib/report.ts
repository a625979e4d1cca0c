/**
 * The results of a run as JSON (every number) and as the Markdown table
 * published in BENCHMARKS.md. Each figure is one row for claude-worker and
 * one per alternative measured next to it in the same run.
 */
import { writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';
import { summarize, type Summary } from './stats.js';

export interface Target {
  text: string;
  met: boolean;
}

export interface Figure {
  /** The scenario it belongs to, e.g. `1. Planner wall time`. */
  scenario: string;
  /** What was measured, e.g. `8 tasks of 2 s, submit to all results read`. */
  name: string;
  unit: 'ms' | 's' | 'tasks/s' | 'MB' | 'MB/task' | 'KB' | 'bytes/task' | 'x';
  /** Whether more is better (throughput) or less (time, memory). */
  better: 'lower' | 'higher';
  ours: Summary;
  alternatives: { system: string; value: Summary }[];
  target?: Target;
  note?: string;
}

export interface Report {
  started_at: string;
  duration_s: number;
  machine: Machine;
  command: string;
  figures: Figure[];
}

/** A latency figure from individual samples (ms), with targets on its percentiles. */
export function latencyFigure(
  scenario: string,
  name: string,
  samples: readonly number[],
  target: { p50?: number; p99?: number },
  note?: string,
): Figure {
  const ours = summarize(samples);
  const wanted = [
    target.p50 === undefined ? null : `p50 < ${target.p50} ms`,
    target.p99 === undefined ? null : `p99 < ${target.p99} ms`,
  ]
    .filter(Boolean)
    .join(', ');
  const measured = [
    target.p50 === undefined ? null : `p50 ${ours.median.toFixed(1)} ms`,
    target.p99 === undefined ? null : `p99 ${ours.p99.toFixed(1)} ms`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    scenario,
    name,
    unit: 'ms',
    better: 'lower',
    ours,
    alternatives: [],
    target: {
      text: `${wanted}; measured ${measured}`,
      met: (target.p50 === undefined || ours.median < target.p50) && (target.p99 === undefined || ours.p99 < target.p99),
    },
    ...(note ? { note } : {}),
  };
}

export function writeReport(report: Report, jsonPath: string, markdownPath: string, intro: string): void {
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdownPath, renderMarkdown(report, intro));
}

export function renderMarkdown(report: Report, intro: string): string {
  const { machine } = report;
  const rows = report.figures.flatMap((figure) => [
    row(figure.scenario, figure.name, 'claude-worker', figure.ours, figure, null),
    ...figure.alternatives.map((alt) => row('', '', alt.system, alt.value, figure, ratio(figure, alt.value))),
  ]);
  const notes = report.figures
    .filter((figure) => figure.note)
    .map((figure) => `- **${figure.scenario}, ${figure.name}:** ${figure.note}`);
  return [
    intro.trim(),
    '',
    `Measured ${report.started_at} in ${Math.round(report.duration_s)} s on ${machine.cpu} (${machine.cores} cores, ` +
      `${machine.memory_gib} GiB), ${machine.os}, Node.js ${machine.node}. Command: \`${report.command}\`.`,
    '',
    '| scenario | figure | system | median | spread (p10–p90) | runs | vs claude-worker | target |',
    '|---|---|---|---:|---:|---:|---:|---|',
    ...rows,
    '',
    ...(notes.length > 0 ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
}

function row(scenario: string, name: string, system: string, value: Summary, figure: Figure, versus: string | null): string {
  const target =
    system === 'claude-worker' && figure.target ? `${figure.target.text}: ${figure.target.met ? 'met' : '**missed**'}` : '';
  const cells = [
    scenario,
    name,
    system,
    `${format(value.median)} ${figure.unit}`,
    `${format(value.p10)}–${format(value.p90)}`,
    String(value.runs),
    versus ?? '',
    target,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** How much better claude-worker is than the alternative: >1 means ahead. */
function ratio(figure: Figure, alternative: Summary): string {
  const ours = figure.ours.median;
  const times = figure.better === 'lower' ? alternative.median / ours : ours / alternative.median;
  return `${format(times)}× ${times >= 1 ? 'ahead' : 'behind'}`;
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
