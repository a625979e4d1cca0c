/**
 * 9. CLI start: `claude-worker status ID`, `list` and `run` as whole
 * processes (spawn → exit) against a running server, next to the Node.js
 * floor: a new process that prints one line. The samples are interleaved, so
 * a machine busy with something else slows the floor and the CLI alike.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess } from '../../test/support/server-process.js';
import { benchPrompt, CLI, createBenchHome } from '../lib/environment.js';
import type { Figure } from '../lib/report.js';
import { summarize } from '../lib/stats.js';

const SCENARIO = '9. CLI start';
const TARGET_P50_MS = 150;
const FLOOR = 'Node.js floor (a new process printing one line)';

export async function cliStart(samples: number): Promise<Figure[]> {
  const home = createBenchHome(0);
  const project = join(home.dir, 'project');
  mkdirSync(project);
  const server = await startServerProcess(home.env, { workers: 1 });
  const env = { ...home.env, CLAUDE_WORKER_SERVER_URL: server.url };
  try {
    const { task } = await server.client.submit({ execution_prompt: benchPrompt('cli-start'), working_directory: project });
    const commands = {
      [`claude-worker status ID`]: [CLI, 'status', String(task.id)],
      'claude-worker list': [CLI, 'list'],
      'claude-worker run PROMPT (submit, id printed)': [CLI, 'run', benchPrompt('cli-run'), '--dir', project],
    };
    const floor: number[] = [];
    const times = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
    for (let i = 0; i < samples; i++) {
      floor.push(await processTime(['-e', 'console.log("ready")'], env));
      for (const [name, args] of Object.entries(commands)) times.get(name)!.push(await processTime(args, env));
    }
    const floorSummary = summarize(floor);
    return [...times].map(([name, samplesOf]) => {
      const ours = summarize(samplesOf);
      return {
        scenario: SCENARIO,
        name: `${name}, a new process against a running server: spawn → exit`,
        unit: 'ms',
        better: 'lower',
        ours,
        alternatives: [{ system: FLOOR, value: floorSummary }],
        target: {
          text: `p50 ≤ ${TARGET_P50_MS} ms (the floor: ${floorSummary.median.toFixed(0)} ms)`,
          met: ours.median <= TARGET_P50_MS,
        },
      } satisfies Figure;
    });
  } finally {
    await server.stop();
    home.remove();
  }
}

/** Spawn → exit of `node ...args`, in ms; a failing command fails the run. */
async function processTime(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`);
  return performance.now() - started;
}
