/**
 * Starting Claude Code as the leader of its own process group (`detached`),
 * so cancel and timeout can stop it together with every shell, test runner
 * or server it started. Replaces the SDK's default spawn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { processStartTime } from '../../host/identity.js';
import type { AgentProcessInfo } from '../../store/task-store.js';

/** Enough stderr to explain a crash, bounded so a chatty process cannot fill memory. */
const STDERR_TAIL_BYTES = 4096;

export class AgentProcess {
  child: ChildProcess | null = null;
  /** Set when the executable could not be started at all. */
  spawnError: Error | null = null;
  private stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private resolveExit!: (value: { code: number | null; signal: NodeJS.Signals | null }) => void;

  constructor(private readonly onSpawn: (info: AgentProcessInfo) => void) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get stderrTail(): string {
    return this.stderr;
  }

  /** The SDK's `spawnClaudeCodeProcess` hook. */
  readonly spawn = (options: SpawnOptions): SpawnedProcess => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.once('exit', (code, signal) => this.resolveExit({ code, signal }));
    child.once('error', (error) => {
      this.spawnError = error;
      this.resolveExit({ code: null, signal: null });
    });
    if (child.pid !== undefined) {
      this.onSpawn({ pid: child.pid, pgid: child.pid, procStartTime: processStartTime(child.pid) });
    }
    return child as unknown as SpawnedProcess;
  };
}
