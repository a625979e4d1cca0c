/**
 * 11. Warm agents: with the REAL Claude Code binary against the loopback API
 * stand-in, a task submitted over REST → the stand-in receiving that task's
 * first Messages request; next to the floor, a bare Agent SDK `query()` from
 * a process already running (SDK loaded) doing the same, interleaved in one
 * loop. Measured for a server that starts each agent when its task arrives
 * and for one that keeps a warm spare (CLAUDE_WORKER_WARM_AGENTS), with the
 * SDK's own `prewarm()` + `claim()` as the warm floor.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prewarm, query, type Options } from '@anthropic-ai/claude-agent-sdk';
import { realClaudeEnv } from '../../test/support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type RecordedRequest } from '../../test/support/fake-anthropic-api.js';
import { startServerProcess, taskEnded, type ServerProcess } from '../../test/support/server-process.js';
import { preciseNow, sleep } from '../lib/environment.js';
import { summarize } from '../lib/stats.js';
import type { Figure } from '../lib/report.js';

const SCENARIO = '11. Warm agents';
/** How far above the floor a cold start may be, at the median. */
const ABOVE_FLOOR_MS = 25;
/**
 * Time for a warm spare to be started and parked again after the previous
 * task claimed it (~1.5 s on this machine), so each pooled sample finds one
 * ready as a task arriving at an idle server does.
 */
const REFILL_MS = 3000;

export async function warmAgents(samples: number): Promise<Figure[]> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'claude-worker-bench-warm-')));
  const project = join(home, 'project');
  mkdirSync(project);
  const api = await startFakeAnthropicApi();
  const env = {
    ...realClaudeEnv(api.url, home),
    CLAUDE_WORKER_PERMISSION_MODE: 'bypassPermissions',
  };
  const cold = await startServerProcess({ ...env, CLAUDE_WORKER_HOME: join(home, 'cold'), CLAUDE_WORKER_WARM_AGENTS: '0' });
  const warm = await startServerProcess({ ...env, CLAUDE_WORKER_HOME: join(home, 'warm'), CLAUDE_WORKER_WARM_AGENTS: '1' });
  const sdkOptions: Options = {
    env: realClaudeEnv(api.url, home),
    systemPrompt: { type: 'preset', preset: 'claude_code' },
    permissionMode: 'bypassPermissions',
    allowDangerouslySkipPermissions: true,
  };
  const figures = { floor: [] as number[], rest: [] as number[], warmFloor: [] as number[], pooled: [] as number[] };
  try {
    // One task each first: servers and SDK loaded, the warm server's pool primed by it.
    await viaRest(api, cold, project, 'cold-warmup');
    await viaRest(api, warm, project, 'pool-warmup');
    await viaQuery(api, sdkOptions, project, 'floor-warmup');
    for (let i = 0; i < samples; i++) {
      figures.floor.push(await viaQuery(api, sdkOptions, project, `floor-${i}`));
      figures.rest.push(await viaRest(api, cold, project, `rest-${i}`));
      figures.warmFloor.push(await viaSpare(api, sdkOptions, project, `spare-${i}`));
      await sleep(REFILL_MS);
      figures.pooled.push(await viaRest(api, warm, project, `pooled-${i}`));
    }
  } finally {
    await cold.stop();
    await warm.stop();
    await api.close();
    rmSync(home, { recursive: true, force: true });
  }
  const floor = summarize(figures.floor);
  const rest = summarize(figures.rest);
  const pooled = summarize(figures.pooled);
  // Each REST sample against the floor sample taken just before it: the machine's load moves both alike.
  const aboveFloor = summarize(figures.rest.map((ms, i) => ms - figures.floor[i]!)).median;
  const belowFloor = summarize(figures.pooled.map((ms, i) => figures.floor[i]! - ms)).median;
  return [
    {
      scenario: SCENARIO,
      name: 'REST: submit → the task’s first Messages request, agent started on arrival',
      unit: 'ms',
      better: 'lower',
      ours: rest,
      alternatives: [{ system: 'bare SDK `query()` in a running process (floor)', value: floor }],
      target: {
        text: `p50 of (REST − floor), sample by sample, ≤ ${ABOVE_FLOOR_MS} ms; measured ${aboveFloor.toFixed(0)} ms`,
        met: aboveFloor <= ABOVE_FLOOR_MS,
      },
    },
    {
      scenario: SCENARIO,
      name: 'REST: submit → the task’s first Messages request, warm spare claimed (CLAUDE_WORKER_WARM_AGENTS=1)',
      unit: 'ms',
      better: 'lower',
      ours: pooled,
      alternatives: [
        { system: 'bare SDK `query()` in a running process (floor)', value: floor },
        { system: 'bare SDK `prewarm()` spare, `claim()` (warm floor)', value: summarize(figures.warmFloor) },
      ],
      target: {
        text: `below the cold floor; p50 of (floor − warm REST), sample by sample: ${belowFloor.toFixed(0)} ms`,
        met: belowFloor > 0,
      },
    },
  ];
}

/** The first Messages request of the main loop that carries `marker`: not a side request (no tools), not count_tokens. */
function firstRequestOf(api: FakeAnthropicApi, marker: string): Promise<RecordedRequest> {
  const tag = `[bench:${marker}]`;
  return api.waitForRequest(
    (request) =>
      request.path.startsWith('/v1/messages?') &&
      (request.body?.tools?.length ?? 0) > 0 &&
      JSON.stringify(request.body?.messages ?? []).includes(tag),
  );
}

function prompt(marker: string): string {
  return `[bench:${marker}] [reply:done] Say that you are done.`;
}

async function viaRest(api: FakeAnthropicApi, server: ServerProcess, project: string, marker: string): Promise<number> {
  const submittedAt = preciseNow();
  const { task } = await server.client.submit({ execution_prompt: prompt(marker), working_directory: project });
  const first = await firstRequestOf(api, marker);
  const ended = await taskEnded(server, task.id);
  if (ended.status !== 'completed') throw new Error(`bench task ${task.id} ended ${ended.status}`);
  return first.receivedAt - submittedAt;
}

async function viaQuery(api: FakeAnthropicApi, options: Options, project: string, marker: string): Promise<number> {
  const calledAt = preciseNow();
  const run = drain(query({ prompt: prompt(marker), options: { ...options, cwd: project } }));
  const first = await firstRequestOf(api, marker);
  await run;
  return first.receivedAt - calledAt;
}

/** The SDK's warm floor: a spare parked beforehand (not timed), then claimed for the task. */
async function viaSpare(api: FakeAnthropicApi, options: Options, project: string, marker: string): Promise<number> {
  const spare = await prewarm({ options });
  await sleep(REFILL_MS);
  const claimedAt = preciseNow();
  const run = drain(spare.claim({ prompt: prompt(marker), options: { cwd: project, permissionMode: 'bypassPermissions' } }));
  const first = await firstRequestOf(api, marker);
  await run;
  await spare.claimed;
  return first.receivedAt - claimedAt;
}

async function drain(messages: AsyncIterable<unknown>): Promise<void> {
  for await (const message of messages) {
    if ((message as { type?: string }).type === 'result') return;
  }
}
