/**
 * 1. Planner wall time: a planner delegates 8 tasks of 2 s each and waits for
 * all of them, over MCP. claude-worker: create_task ×8, then one
 * wait_for_tasks. A blocking MCP server (@steipete/claude-code-mcp): one
 * tool call per task, each held until its `claude -p` ends. A plain loop of
 * `claude -p`. All three run the same simulated agent.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { benchPrompt, createBenchHome, FAKE_AGENT, MCP_BIN } from '../lib/environment.js';
import { openMcpSession } from '../lib/mcp-session.js';
import type { Figure } from '../lib/report.js';
import { repeat } from '../lib/stats.js';

const TASKS = 8;
const AGENT_MS = 2000;
const BLOCKING_MCP_SERVER = createRequire(import.meta.url).resolve('@steipete/claude-code-mcp/dist/server.js');

export async function plannerWallTime(runs: number): Promise<Figure> {
  const home = createBenchHome(AGENT_MS, { CLAUDE_WORKER_MODE: 'standalone', CLAUDE_WORKER_MAX_WORKERS: String(TASKS) });
  const project = join(home.dir, 'project');
  mkdirSync(project);
  try {
    const ours = await repeat(runs, () => claudeWorker(home.env, project));
    const blocking = await repeat(runs, () => blockingMcp(home.env, project));
    const loop = await repeat(runs, () => sequentialLoop(home.env, project));
    const ratio = ours.median / AGENT_MS;
    return {
      scenario: '1. Planner wall time',
      name: `${TASKS} tasks of ${AGENT_MS / 1000} s over MCP, delegate to all results`,
      unit: 'ms',
      better: 'lower',
      ours,
      alternatives: [
        { system: '@steipete/claude-code-mcp (a blocking call per task)', value: blocking },
        { system: 'sequential `claude -p` loop', value: loop },
      ],
      target: { text: `≤ 1.3× one task (${(1.3 * AGENT_MS).toFixed(0)} ms); measured ${ratio.toFixed(2)}×`, met: ratio <= 1.3 },
      note:
        "The MCP server process is started once per session, before the clock starts, as a planner's client does. " +
        "The blocking server's calls are made one after another, as a planner waiting on each call makes them.",
    };
  } finally {
    home.remove();
  }
}

async function claudeWorker(env: Record<string, string>, project: string): Promise<number> {
  const session = await openMcpSession(process.execPath, [MCP_BIN], env, project);
  try {
    const started = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < TASKS; i++) {
      const task = await session.call<{ task_id: number }>('create_task', {
        execution_prompt: benchPrompt(`planner-${i}`),
        working_directory: project,
      });
      ids.push(task.task_id);
    }
    const waited = await session.call<{ all_terminal: boolean; tasks: { status: string }[] }>('wait_for_tasks', {
      task_ids: ids,
      timeout_seconds: 50,
    });
    const elapsed = performance.now() - started;
    if (!waited.all_terminal || waited.tasks.some((task) => task.status !== 'completed')) {
      throw new Error(`claude-worker did not complete every task: ${JSON.stringify(waited.tasks.map((t) => t.status))}`);
    }
    return elapsed;
  } finally {
    await session.close();
  }
}

async function blockingMcp(env: Record<string, string>, project: string): Promise<number> {
  const session = await openMcpSession(process.execPath, [BLOCKING_MCP_SERVER], { ...env, CLAUDE_CLI_NAME: FAKE_AGENT }, project);
  try {
    const started = performance.now();
    for (let i = 0; i < TASKS; i++)
      await session.call('claude_code', { prompt: benchPrompt(`blocking-${i}`), workFolder: project });
    return performance.now() - started;
  } finally {
    await session.close();
  }
}

async function sequentialLoop(env: Record<string, string>, project: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < TASKS; i++) {
    const child = spawn(FAKE_AGENT, ['--dangerously-skip-permissions', '-p', benchPrompt(`loop-${i}`)], {
      cwd: project,
      env,
      stdio: 'ignore',
    });
    const [code] = await once(child, 'exit');
    if (code !== 0) throw new Error(`claude -p exited with ${code}`);
  }
  return performance.now() - started;
}
