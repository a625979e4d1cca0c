/**
 * The setting every scenario shares: a throwaway home, the simulated agent
 * in place of Claude Code, and the claude-worker processes run the way a
 * user runs them (the built CLI and MCP bins).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_AGENT = new URL('../fake-agent.sh', import.meta.url).pathname;
export const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
export const MCP_BIN = new URL('../../dist/app/mcp-bin.js', import.meta.url).pathname;

export interface BenchHome {
  dir: string;
  /** Environment for claude-worker processes (server, worker, MCP) in this home. */
  env: Record<string, string>;
  /** Where the simulated agents record their start and result times. */
  startsFile: string;
  exitsFile: string;
  remove(): void;
}

export function createBenchHome(agentMs: number, extra: Record<string, string> = {}): BenchHome {
  const dir = mkdtempSync(join(tmpdir(), 'claude-worker-bench-'));
  const startsFile = join(dir, 'agent-starts.txt');
  const exitsFile = join(dir, 'agent-exits.txt');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    CLAUDE_WORKER_HOME: join(dir, 'worker'),
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_AGENT,
    // The simulated agent needs no permissions; this keeps root's bypass check out of the way.
    CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
    BENCH_AGENT_MS: String(agentMs),
    BENCH_AGENT_STARTS: startsFile,
    BENCH_AGENT_EXITS: exitsFile,
    ...extra,
  };
  return { dir, env, startsFile, exitsFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The times (epoch ms) recorded by the simulated agents, by the marker in their prompts. */
export function readAgentTimes(file: string): Map<string, number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  return new Map(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [marker, seconds] = line.split(' ');
        return [marker!, Number(seconds) * 1000];
      }),
  );
}

/** A prompt that passes the MCP door's strict policy and names its task for the simulated agent. */
export function benchPrompt(marker: string): string {
  return (
    `[bench:${marker}] Add a short summary of the project to notes/summary.txt in the working directory, ` +
    'then check that the file exists. Keep the change minimal and touch nothing else in the repository.'
  );
}

/** Epoch milliseconds with sub-millisecond precision, comparable with the agents' records. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
