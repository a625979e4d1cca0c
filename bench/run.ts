/**
 * `npm run bench`: runs every scenario one after another on this machine and
 * writes BENCHMARKS.md (the table) and bench/results/latest.json (every
 * number). What each figure means: bench/README.md.
 *
 *   npm run bench                       everything, default repetitions (~15 min on 2 cores)
 *   npm run bench -- --runs 2           fewer repetitions, for a quick look
 *   npm run bench -- --only planner,throughput
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { INTRO } from './intro.js';
import { describeMachine } from './lib/machine.js';
import { writeReport, type Figure } from './lib/report.js';
import { dashboardFigures } from './scenarios/dashboard.js';
import { isolationCost } from './scenarios/isolation.js';
import { serverMemory } from './scenarios/memory.js';
import { overheadPerTask } from './scenarios/overhead.js';
import { plannerWallTime } from './scenarios/planner.js';
import { readPathUnderLoad } from './scenarios/read-path.js';
import { crossNodeRecovery, sameHostRecovery } from './scenarios/recovery.js';
import { queueThroughput } from './scenarios/throughput.js';
import { cliStart } from './scenarios/cli-start.js';
import { scale } from './scenarios/scale.js';
import { serverStart } from './scenarios/server-start.js';
import { warmAgents } from './scenarios/warm-agents.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer (got ${values.runs})`);

/** Each scenario with how it scales with --runs; the slow ones repeat less. */
const SCENARIOS: Record<string, () => Promise<Figure | Figure[]>> = {
  planner: () => plannerWallTime(runs),
  overhead: () => overheadPerTask(runs * 10),
  throughput: () => queueThroughput(Math.max(1, Math.ceil(runs / 2)), 500),
  memory: () => serverMemory(Math.max(1, Math.ceil(runs / 2))),
  'read-path': () => readPathUnderLoad(runs * 200),
  recovery: async () => [await sameHostRecovery(runs), await crossNodeRecovery(Math.max(1, Math.floor(runs / 3)))],
  isolation: () => isolationCost(runs * 4),
  dashboard: () => dashboardFigures(runs * 4),
  'cli-start': () => cliStart(runs * 4),
  'server-start': () => serverStart(runs * 2),
  'warm-agents': () => warmAgents(runs * 2),
  scale: () => scale(runs * 200, Math.max(1, Math.ceil(runs / 2)), 300),
};

const selected = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
for (const name of selected) {
  if (!(name in SCENARIOS)) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
}

const startedAt = new Date();
const figures: Figure[] = [];
for (const name of selected) {
  process.stderr.write(`bench: ${name}…\n`);
  const started = performance.now();
  figures.push(...[await SCENARIOS[name]!()].flat());
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

const resultsDir = new URL('./results/', import.meta.url).pathname;
mkdirSync(resultsDir, { recursive: true });
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
writeReport(
  {
    started_at: startedAt.toISOString(),
    duration_s: (Date.now() - startedAt.getTime()) / 1000,
    machine: describeMachine(),
    command,
    figures,
  },
  `${resultsDir}latest.json`,
  new URL('../BENCHMARKS.md', import.meta.url).pathname,
  INTRO,
);
process.stderr.write('bench: wrote BENCHMARKS.md and bench/results/latest.json\n');
// Pools and child processes of the alternatives may linger; the report is written.
process.exit(0);
