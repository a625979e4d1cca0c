/**
 * 10. Server start: `server start --foreground` spawned → `/health`
 * answering, on a home whose database exists (a restart, or the first start
 * of the day); and the first `claude-worker run` of the day, which starts the
 * daemon itself: spawn → the task's id printed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startServerProcess } from '../../test/support/server-process.js';
import { benchPrompt, CLI, createBenchHome, sleep } from '../lib/environment.js';
import { latencyFigure, type Figure } from '../lib/report.js';

const SCENARIO = '10. Server start';
/** How often /health is asked while the server starts. */
const POLL_MS = 2;

export async function serverStart(samples: number): Promise<Figure[]> {
  const home = createBenchHome(0);
  const project = join(home.dir, 'project');
  mkdirSync(project);
  try {
    // The database is created and migrated once, before the clock.
    await (await startServerProcess(home.env, { workers: 1 })).stop();
    const toHealth: number[] = [];
    const autoStart: number[] = [];
    for (let i = 0; i < samples; i++) {
      toHealth.push(await spawnToHealth(home.env));
      autoStart.push(await firstRun(home.env, project));
    }
    return [
      latencyFigure(
        SCENARIO,
        '`server start --foreground` spawned → `/health` answering',
        toHealth,
        { p50: 400 },
        'A bare Node.js process takes ~34 ms here (scenario 9). A start now opens 504 files instead of 843: ajv, ' +
          'the OpenAPI generator with yaml, prom-client and the addon search are gone from it (bench/README.md). ' +
          "What is left: zod (99 files, 65 of them locales that every zod entry re-exports), semver (48, Fastify's " +
          "plugin checks), pino (~25, Fastify's logger) and 179 of our own modules, the database opened and " +
          'migrated, and every orphaned task recovered before `/health` answers (on purpose: a server that answers ' +
          'has handled them). Bundling the server modules would take ~35 ms off (a trial: bench/README.md).',
      ),
      latencyFigure(SCENARIO, 'first `claude-worker run` with auto-start: spawn → task id printed', autoStart, { p50: 1000 }),
    ];
  } finally {
    home.remove();
  }
}

async function spawnToHealth(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'server', 'start', '--foreground', '--port', String(port), '--concurrency', '1'], {
    env: { ...env, CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${port}` },
    stdio: 'ignore',
  });
  const exited = once(child, 'exit');
  try {
    while (!(await answers(`http://127.0.0.1:${port}/health`))) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
      await sleep(POLL_MS);
    }
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** `claude-worker run` with no server answering: it starts the daemon, submits, prints the id; then the daemon is stopped. */
async function firstRun(env: Record<string, string>, project: string): Promise<number> {
  const localEnv = { ...env, CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}` };
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', benchPrompt('auto-start'), '--dir', project], {
    env: localEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  const elapsed = performance.now() - started;
  const stop = spawn(process.execPath, [CLI, 'server', 'stop'], { env: localEnv, stdio: 'ignore' });
  await once(stop, 'exit');
  if (code !== 0 || !/Task \d+ submitted/.test(output)) throw new Error(`claude-worker run exited with ${code}: ${output}`);
  return elapsed;
}

/** Whether a GET answers 200 (a refused connection is a no). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}
