/**
 * 2. Overhead per task: from the moment a client submits to the moment the
 * agent process exists, through each door (REST, CLI, MCP), on an idle
 * system, one task at a time; and from the agent's result to `completed`
 * being visible over REST.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.js';
import { benchPrompt, CLI, createBenchHome, MCP_BIN, preciseNow, type BenchHome } from '../lib/environment.js';
import { measureDoor, recorded } from '../lib/door-latency.js';
import { openMcpSession } from '../lib/mcp-session.js';
import { latencyFigure as latency, type Figure } from '../lib/report.js';

/** Short, so the run is about the system; long enough that `running` is seen before the end. */
const AGENT_MS = 100;
const TARGET = { p50: 25, p99: 100 };

export async function overheadPerTask(samples: number): Promise<Figure[]> {
  const home = createBenchHome(AGENT_MS, { CLAUDE_WORKER_MAX_WORKERS: '4' });
  const project = join(home.dir, 'project');
  mkdirSync(project);
  const server = await startServerProcess(home.env, { workers: 4 });
  try {
    const rest = await measureDoor(home, samples, AGENT_MS, 'rest', async (prompt) => {
      await server.client.submit({ execution_prompt: prompt, working_directory: project });
    });
    const exitToVisible = await measureExitToVisible(home, server, project, samples);
    const cli = await measureDoor(home, Math.max(5, Math.round(samples / 3)), AGENT_MS, 'cli', async (prompt) => {
      const child = spawn(process.execPath, [CLI, 'run', prompt, '--dir', project, '--json'], {
        env: { ...home.env, CLAUDE_WORKER_SERVER_URL: server.url },
        stdio: 'ignore',
      });
      const [code] = await once(child, 'exit');
      if (code !== 0) throw new Error(`claude-worker run exited with ${code}`);
    });
    const mcp = await measureMcp(home, project, samples);
    return [
      latencyFigure(
        'REST: submit → agent process started',
        rest,
        'Where the time goes, profiled on this machine: about 4 ms to validate and durably store the task (one fsync), ' +
          'under 1 ms to claim it and prepare the agent, and about 7 ms for Node.js to fork the agent process from the ' +
          '~100 MB server. Each door runs one unmeasured task first: the first task of a process loads the Agent SDK ' +
          'and compiles the task path (400-600 ms more under load, once per process). Tasks on their own no longer read the store for dependency results before they start (a graph ' +
          'task still does): with that, the median went from ~25 ms to ~12 ms. MCP takes the same path.',
      ),
      latencyFigure(
        'CLI (`claude-worker run`, a new process): submit → agent started',
        cli,
        'Missed by the CLI process itself, as a new process must: starting Node.js (a bare process takes ~34 ms ' +
          'here, scenario 9) and loading `run` and the client come before it sends the same REST request as the row ' +
          'above (the whole `run` process: ~100 ms, scenario 9). Scripts that submit many tasks should use the REST ' +
          'API or the client library.',
      ),
      latencyFigure('MCP (standalone, stdio): create_task → agent started', mcp),
      latencyFigure('agent result → `completed` visible over REST', exitToVisible),
    ];
  } finally {
    await server.stop();
    home.remove();
  }
}

function latencyFigure(name: string, samples: number[], note?: string): Figure {
  return latency('2. Overhead per task', name, samples, TARGET, note);
}

async function measureMcp(home: BenchHome, project: string, count: number): Promise<number[]> {
  const mcpHome = { ...home, env: { ...home.env, CLAUDE_WORKER_MODE: 'standalone' } };
  const session = await openMcpSession(process.execPath, [MCP_BIN], mcpHome.env, project);
  try {
    return await measureDoor(mcpHome, count, AGENT_MS, 'mcp', async (prompt) => {
      await session.call('create_task', { execution_prompt: prompt, working_directory: project });
    });
  } finally {
    await session.close();
  }
}

/** Polls the task as fast as the server answers from the agent's result on; the poll interval is well under a millisecond. */
async function measureExitToVisible(home: BenchHome, server: ServerProcess, project: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const marker = `visible-${i}`;
    const { task } = await server.client.submit({ execution_prompt: benchPrompt(marker), working_directory: project });
    const exitedAt = await recorded(home.exitsFile, marker);
    for (;;) {
      const { status } = await server.client.get(task.id);
      if (status === 'completed') break;
      if (status !== 'running' && status !== 'pending') throw new Error(`task ${task.id} ended ${status}`);
    }
    latencies.push(preciseNow() - exitedAt);
  }
  return latencies;
}
