/**
 * 12. Scale: a database holding 1,000,000 ended tasks (SQLite file, the
 * default store), read and written over REST through the real server
 * process: list pages, the size on disk per task, and how fast new tasks are
 * submitted while 8 runners work them off.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.js';
import { waitFor } from '../../test/support/wait.js';
import { benchPrompt, createBenchHome } from '../lib/environment.js';
import { fillWithRealisticTasks } from '../lib/fill-realistic.js';
import { latencyFigure, type Figure } from '../lib/report.js';
import { timeRequests } from '../lib/request-latency.js';
import { repeat, summarize } from '../lib/stats.js';

const SCENARIO = '12. Scale';
const TASKS = 1_000_000;
const TASKS_TEXT = TASKS.toLocaleString('en');
const WORKERS = 8;
/** Concurrent REST clients submitting; each waits for its answer before the next submit, as a script or an MCP planner does. */
const CLIENTS = 4;
const TARGET_P99_MS = 20;

export async function scale(requests: number, rounds: number, submitsPerRound: number): Promise<Figure[]> {
  const submits = (served: Served) => repeat(rounds, (round) => submitRound(served, round, submitsPerRound));
  // The same rounds on an empty database first: what the million rows cost, in the same run.
  const empty = await withServer(0, submits);
  const big = await withServer(TASKS, async (served) => ({
    list: await timeRequests(requests, () => served.server.client.list({ limit: 20 })),
    failed: await timeRequests(requests, () => served.server.client.list({ limit: 20, status: 'failed' })),
    health: await timeRequests(requests, () => served.server.client.health()),
    metrics: await timeScrapes(served.server, METRICS_SCRAPES),
    bytesPerTask: sizeOnDisk(served.database) / TASKS,
    submitted: await submits(served),
    fillSeconds: served.fillSeconds,
  }));
  return [
    latency(`GET the list (20 newest), ${TASKS_TEXT} tasks in the database`, big.list),
    latency(`GET the list filtered by status (failed: 8% of the rows), ${TASKS_TEXT} tasks`, big.failed),
    latency(`GET /health (counts of running and pending tasks), ${TASKS_TEXT} tasks`, big.health),
    {
      scenario: SCENARIO,
      name: `GET /metrics (one Prometheus scrape), ${TASKS_TEXT} tasks`,
      unit: 'ms',
      better: 'lower',
      ours: summarize(big.metrics),
      alternatives: [],
      note: METRICS_NOTE,
    },
    {
      scenario: SCENARIO,
      name: `Size on disk per task (database file and WAL), ${TASKS_TEXT} tasks`,
      unit: 'bytes/task',
      better: 'lower',
      ours: summarize([big.bytesPerTask]),
      alternatives: [],
      note: SIZE_NOTE,
    },
    {
      scenario: SCENARIO,
      name: `Submits over REST (${CLIENTS} clients) while ${WORKERS} runners work them off, ${TASKS_TEXT} tasks in the database`,
      unit: 'tasks/s',
      better: 'higher',
      ours: big.submitted,
      alternatives: [{ system: 'claude-worker, the same on an empty database', value: empty }],
      note:
        `Reported, no target. Filling the ${TASKS_TEXT} tasks took ${big.fillSeconds.toFixed(0)} s in this run. ` +
        `Each round: ${submitsPerRound} tasks submitted by ${CLIENTS} concurrent clients, each waiting for its answer ` +
        `before its next submit; the clock runs from the first submit to the last answer. The server runs ` +
        `${WORKERS} tasks at a time, each a real agent process (the simulated agent, ending at once), so the ` +
        'submits share the write lock, the event loop and the 2 cores with claims, completions and log writes, as ' +
        'they do in use. What bounds the rate per task, and what is not explained yet: bench/README.md.',
    },
  ];
}

interface Served {
  server: ServerProcess;
  /** A directory the submitted tasks run in. */
  project: string;
  database: string;
  fillSeconds: number;
}

/** A server (WORKERS tasks at a time) on a new home whose database holds `tasks` ended tasks. */
async function withServer<T>(tasks: number, measure: (served: Served) => Promise<T>): Promise<T> {
  // The agents end at once (BENCH_AGENT_MS=0): each task is a real agent process, spawned, read and reaped.
  const home = createBenchHome(0);
  const database = join(home.env.CLAUDE_WORKER_HOME!, 'tasks.db');
  const project = join(home.dir, 'project');
  mkdirSync(project);
  try {
    const fillStarted = performance.now();
    if (tasks > 0) await fillWithRealisticTasks(database, home.dir, tasks);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const server = await startServerProcess(home.env, { workers: WORKERS });
    try {
      return await measure({ server, project, database, fillSeconds });
    } finally {
      await server.stop();
    }
  } finally {
    home.remove();
  }
}

function latency(name: string, samples: number[]): Figure {
  return latencyFigure(SCENARIO, name, samples, { p99: TARGET_P99_MS });
}

/** Each scrape reads every task kept: a few are enough to show what one costs. */
const METRICS_SCRAPES = 3;

const METRICS_NOTE =
  'Reported, no target; a known cost, not fixed in this round. Each scrape sums usage over every task kept, ' +
  'counts them by status and reads the timings of every run for its histograms: the whole table, in one ' +
  "synchronous read on the server's event loop, so nothing else is answered meanwhile. Details: bench/README.md.";

const SIZE_NOTE =
  'Reported, no target. Each task is stored as a real run leaves it: the task row (a prompt of 100–1,100 ' +
  'characters, a summary of 80–480), one attempt, its summary log lines (6–17, one per tool call) and its three ' +
  'events, with every index and trigger of the schema. Breakdown: bench/README.md.';

/** The latency of `count` scrapes of /metrics, one after another (no warm-up: each reads the whole table anyway). */
async function timeScrapes(server: ServerProcess, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${server.url}/metrics`);
    await response.text();
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The bytes the database takes: its file and its write-ahead log (the -shm file is a memory map, not data). */
function sizeOnDisk(database: string): number {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return size(database) + size(`${database}-wal`);
}

/** Tasks per second submitted by CLIENTS concurrent clients, `count` in all. */
async function submitRound({ server, project }: Served, round: number, count: number): Promise<number> {
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      await server.client.submit({ execution_prompt: benchPrompt(`scale-${round}-${i}`), working_directory: project });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const perSecond = count / ((performance.now() - started) / 1000);
  // The next round starts on an idle queue, so each round measures the same thing.
  await waitFor(
    async () => {
      const health = await server.client.health();
      return health.pending === 0 && health.running === 0;
    },
    { what: 'the submitted tasks to end', timeoutMs: 300_000 },
  );
  return perSecond;
}
