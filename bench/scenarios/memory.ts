/**
 * 4. Memory: the server's resident memory idle, and with 100 tasks running
 * at once (their agents are other processes and not counted): what each
 * running task costs the server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess } from '../../test/support/server-process.js';
import { waitFor } from '../../test/support/wait.js';
import { benchPrompt, createBenchHome, sleep } from '../lib/environment.js';
import { residentMegabytes } from '../lib/process-memory.js';
import type { Figure } from '../lib/report.js';
import { repeat } from '../lib/stats.js';

const RUNNING = 100;
const IDLE_TARGET_MB = 70;
/** Lets the heap settle after the burst of starts, so a transient peak is not read as the cost. */
const SETTLE_MS = 3000;

export async function serverMemory(runs: number): Promise<Figure[]> {
  const idle: number[] = [];
  const perTask = await repeat(runs, async () => {
    const home = createBenchHome(10 * 60_000);
    const project = join(home.dir, 'project');
    mkdirSync(project);
    const server = await startServerProcess(home.env, { workers: RUNNING });
    try {
      await sleep(SETTLE_MS);
      const before = residentMegabytes(server.child.pid!);
      idle.push(before);
      for (let i = 0; i < RUNNING; i++) {
        await server.client.submit({ execution_prompt: benchPrompt(`memory-${i}`), working_directory: project });
      }
      await waitFor(async () => (await server.client.health()).running === RUNNING, {
        what: `${RUNNING} running tasks`,
        timeoutMs: 120_000,
      });
      await sleep(SETTLE_MS);
      return (residentMegabytes(server.child.pid!) - before) / RUNNING;
    } finally {
      await server.stop();
      home.remove();
    }
  });
  const idleSummary = await repeat(idle.length, async (run) => idle[run]!);
  return [
    {
      scenario: '4. Memory',
      name: 'server resident memory, idle',
      unit: 'MB',
      better: 'lower',
      ours: idleSummary,
      alternatives: [],
      target: { text: `at most ${IDLE_TARGET_MB} MB`, met: idleSummary.median <= IDLE_TARGET_MB },
      note:
        'Of it: ~39 MB is any Node.js process (a bare `node -e` after 3 s); ~17 MB is the Agent SDK, loaded ' +
        'in the background so that the first task does not wait for it; ~10 MB is the young generation V8 grows to ' +
        '32 MB while the modules load and keeps (`--max-semi-space-size=1` on the command line saves it). ' +
        'See bench/README.md, "Idle memory".',
    },
    {
      scenario: '4. Memory',
      name: `server memory per running task, ${RUNNING} running (agents excluded)`,
      unit: 'MB/task',
      better: 'lower',
      ours: perTask,
      alternatives: [],
      target: { text: 'under 1 MB per task', met: perTask.median < 1 },
    },
  ];
}
