/**
 * 11. Scale: a database holding 1,000,000 ended tasks (SQLite file, the
 * default store), read and written over REST through the real server
 * process: list pages, the size on disk per task, and how fast new tasks are
 * submitted while 8 runners work them off.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.js';
import { waitFor } from '../../test/support/wait.js';
import { benchPrompt, createBenchHome } from '../lib/environment.js';
import { fillDatabase } from '../lib/fill-database.js';
import { latencyFigure, type Figure } from '../lib/report.js';
import { timeRequests } from '../lib/request-latency.js';
import { repeat, summarize } from '../lib/stats.js';

const SCENARIO = '11. Scale';
const TASKS = 1_000_000;
const TASKS_TEXT = TASKS.toLocaleString('en');
const WORKERS = 8;
/** Concurrent REST clients submitting; each waits for its answer before the next submit, as a script or an MCP planner does. */
const CLIENTS = 4;
const TARGET_P99_MS = 20;

export async function scale(requests: number, rounds: number, submitsPerRound: number): Promise<Figure[]> {
  // The agents end at once (BENCH_AGENT_MS=0): each task is a real agent process, spawned, read and reaped.
  const home = createBenchHome(0);
  const database = join(home.env.CLAUDE_WORKER_HOME!, 'tasks.db');
  const project = join(home.dir, 'project');
  mkdirSync(project);
  try {
    const fillStarted = performance.now();
    await fillDatabase(database, home.dir, TASKS);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const server = await startServerProcess(home.env, { workers: WORKERS });
    try {
      const list = await timeRequests(requests, () => server.client.list({ limit: 20 }));
      const failed = await timeRequests(requests, () => server.client.list({ limit: 20, status: 'failed' }));
      const health = await timeRequests(requests, () => server.client.health());
      const bytesPerTask = sizeOnDisk(database) / TASKS;
      const submitted = await repeat(rounds, (round) => submitRound(server, project, round, submitsPerRound));
      return [
        latency(`GET the list (20 newest), ${TASKS_TEXT} tasks in the database`, list),
        latency(`GET the list filtered by status (failed: 8% of the rows), ${TASKS_TEXT} tasks`, failed),
        latency(`GET /health (counts of running and pending tasks), ${TASKS_TEXT} tasks`, health),
        {
          scenario: SCENARIO,
          name: `Size on disk per task (database file and WAL), ${TASKS_TEXT} tasks`,
          unit: 'bytes/task',
          better: 'lower',
          ours: summarize([bytesPerTask]),
          alternatives: [],
          note: SIZE_NOTE,
        },
        {
          scenario: SCENARIO,
          name: `Submits over REST (${CLIENTS} clients) while ${WORKERS} runners work them off, ${TASKS_TEXT} tasks in the database`,
          unit: 'tasks/s',
          better: 'higher',
          ours: submitted,
          alternatives: [],
          note:
            `Filling the ${TASKS_TEXT} tasks took ${fillSeconds.toFixed(0)} s in this run. ` +
            `Each round: ${submitsPerRound} tasks submitted by ${CLIENTS} concurrent clients, each waiting for its answer ` +
            `before its next submit; the clock runs from the first submit to the last answer. The server runs ` +
            `${WORKERS} tasks at a time, each a real agent process (the simulated agent, ending at once), so the ` +
            'submits share the write lock and the 2 cores with claims, completions and log writes, as they do in use.',
        },
      ];
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

const SIZE_NOTE =
  'Reported, no target. Each task is stored as a real run leaves it: the task row (a prompt of 100–1,100 ' +
  'characters, a summary of 80–480), one attempt, its summary log lines (6–17, one per tool call) and its three ' +
  'events, with every index and trigger of the schema. Breakdown: bench/README.md.';

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
async function submitRound(server: ServerProcess, project: string, round: number, count: number): Promise<number> {
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
