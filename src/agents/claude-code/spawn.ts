/**
 * Starting Claude Code as the leader of its own process group (`detached`),
 * so cancel and timeout can stop it together with every shell, test runner
 * or server it started. Replaces the SDK's default spawn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { processStartTime } from '../../host/identity.js';
import { isGroupAlive, killGroup } from '../../host/process-group.js';
import type { AgentProcessInfo } from '../../core/worker.js';

/** Enough stderr to explain a crash, bounded so a chatty process cannot fill memory. */
const STDERR_TAIL_CHARS = 4096;
/**
 * How long Claude Code gets to exit on its own once the SDK stops reading
 * (it exits within ~0.1 s of stdin closing after a result), before its group
 * is killed.
 */
const EXIT_GRACE_MS = 10_000;
/**
 * `exit` can come before the last stderr bytes are read; a crash message is
 * only useful whole. Bounded: a grandchild holding stderr open must not
 * delay the end of the run.
 */
const STDERR_DRAIN_MS = 500;

export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export class AgentProcess {
  private child: ChildProcess | null = null;
  private startError: Error | null = null;
  private stderr = '';
  private stopRequested = false;
  private stopping: Promise<void> | null = null;
  private readonly exited: Promise<ProcessExit>;
  private resolveExit!: (exit: ProcessExit) => void;
  private readonly stderrClosed: Promise<void>;
  private resolveStderrClosed!: () => void;

  private info: AgentProcessInfo | null = null;

  /**
   * `onSpawn` hears of the process once it exists; a spare started before
   * its task has none yet, and is announced to its task with `announceTo`.
   */
  constructor(private onSpawn: ((info: AgentProcessInfo) => void) | null = null) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.stderrClosed = new Promise((resolve) => (this.resolveStderrClosed = resolve));
  }

  /** Set when the executable (or the working directory) could not be used at all. */
  get spawnError(): Error | null {
    return this.startError;
  }

  /** Whether a process was started (it may have exited since). */
  get started(): boolean {
    return this.child?.pid !== undefined;
  }

  /** The last few KB Claude Code wrote on stderr. */
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
    // A spare's process is watched by prewarm(), then by its claim's query, which add 11 exit
    // listeners in all: more than Node's default of 10 before it warns of a leak (a process is
    // used once, so nothing accumulates).
    child.setMaxListeners(20);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.stderr!.once('close', this.resolveStderrClosed);
    child.once('exit', (exitCode, signal) => this.resolveExit({ exitCode, signal }));
    child.once('error', (error) => {
      this.startError = error;
      this.resolveExit({ exitCode: null, signal: null });
      this.resolveStderrClosed();
    });
    // The SDK aborts this forwarded signal only after its own graceful close
    // (stdin EOF, then ~2 s); its force-kill reaches the leader alone, so
    // take the whole group down with it.
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
    if (child.pid !== undefined) {
      this.info = { pid: child.pid, pgid: child.pid, procStartTime: processStartTime(child.pid) };
      this.onSpawn?.(this.info);
      if (this.stopRequested) void this.stop();
    }
    return child as unknown as SpawnedProcess;
  };

  /** Tells `onSpawn` about the process: at once when it already exists, else when it is spawned. */
  announceTo(onSpawn: (info: AgentProcessInfo) => void): void {
    this.onSpawn = onSpawn;
    if (this.info) onSpawn(this.info);
  }

  /**
   * Kills the whole process group (SIGTERM, grace, SIGKILL). Safe to call
   * any number of times, and before the process exists: it is then killed as
   * soon as it is spawned.
   */
  stop(): Promise<void> {
    this.stopRequested = true;
    const pgid = this.child?.pid;
    if (pgid === undefined) return Promise.resolve();
    this.stopping ??= killGroup(pgid);
    return this.stopping;
  }

  /**
   * Once the SDK is done with the process: waits for it to exit (killing it
   * if it lingers), then kills whatever it left behind in its group, so a run
   * never ends with a member of its group still alive.
   */
  async settle(): Promise<ProcessExit> {
    const pgid = this.child?.pid;
    if (pgid === undefined) return { exitCode: null, signal: null };
    const exitedInTime = await within(this.exited, EXIT_GRACE_MS);
    if (!exitedInTime) await this.stop();
    await this.stopping;
    // The leader may be gone while a background shell or server it started is not.
    if (isGroupAlive(pgid)) await killGroup(pgid);
    const exit = exitedInTime ?? (await this.exited);
    await within(this.stderrClosed, STDERR_DRAIN_MS);
    return exit;
  }
}

/** The promise's value, or null once `ms` have passed first. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
