/**
 * Claude Code processes started before their task arrives: the Agent SDK's
 * `prewarm()` parks a fully started process (modules loaded, config, auth,
 * tools, the initialize handshake done) that `claim()` later binds to a
 * task's folder and appended system prompt. A task then skips ~260 ms of
 * CPU before its first request (see bench/README.md, "Warm agents").
 *
 * What a claim cannot change is fixed when the spare starts: the
 * environment, the executable, the turn and budget limits, and whether
 * bypassPermissions may be taken; the model and permission mode are fixed
 * too, see `SpareSettings`. The pool keeps spares for one such set at
 * a time, the one of the last task it was asked for (a server's tasks share
 * its environment, so they mostly share the set); a task with another set
 * runs cold and the pool turns over to its set.
 *
 * A parked spare reads its stdin, whose writing end only this process holds:
 * however this process ends, the spare reads end-of-file and exits.
 */
import type { Options, SpareProcess } from '@anthropic-ai/claude-agent-sdk';
import type { PermissionMode } from '../../core/task.js';
import type { AgentRunRequest } from '../agent.js';
import { AgentProcess } from './spawn.js';

/** How long a spare may take to park before it is given up (it is then not replaced until the next task). */
const PARK_TIMEOUT_MS = 60_000;
/** Spares that failed to start in a row before the pool gives up (a Claude Code without `--await-claim` fails every time). */
const FAILURES_BEFORE_OFF = 3;

/** What a spare is started with and a claim cannot change. */
export interface SpareSettings {
  env: AgentRunRequest['env'];
  /**
   * Fixed at start although a claim could set it: a claim whose model is
   * refused runs on without it, so the task would run on another model.
   */
  model: string | null;
  maxTurns: number | null;
  maxBudgetUsd: number | null;
  /** Also sent with the claim; a spare started in the task's mode has nothing to switch. */
  permissionMode: PermissionMode;
}

/** A parked spare, taken out of the pool for one task. */
export interface ClaimableSpare {
  sdk: SpareProcess;
  process: AgentProcess;
  /** Aborting it ends the SDK's side of the spare (as `Options.abortController` does for a query). */
  abortController: AbortController;
}

interface Parked extends ClaimableSpare {
  key: string;
}

export class SparePool {
  private readonly parked = new Set<Parked>();
  private starting = 0;
  private key: string | null = null;
  private settings: SpareSettings | null = null;
  private closed = false;
  private failuresInARow = 0;
  /** Aborts the spares still starting, when the pool closes. */
  private readonly startsAbort = new AbortController();
  private readonly allStarts = new Set<Promise<void>>();

  constructor(
    /** The most spares parked or starting at once. */
    readonly size: number,
    private readonly startOptions: (
      settings: SpareSettings,
      wiring: { abortController: AbortController; spawnClaudeCodeProcess: AgentProcess['spawn'] },
    ) => Options,
    private readonly warn: (line: string) => void = () => {},
  ) {}

  /** Spares parked or starting now; never more than `size`. */
  get count(): number {
    return this.parked.size + this.starting;
  }

  /** Spares parked now, ready for a task. */
  get ready(): number {
    return this.parked.size;
  }

  /**
   * A parked spare started with `settings`, or null; either way the pool
   * now keeps spares for `settings`, turning over from another set. It
   * fills up again on `refill()`: starting a process takes the CPU that the
   * task's own agent needs to reach its first request.
   */
  take(settings: SpareSettings): ClaimableSpare | null {
    if (this.closed || this.failuresInARow >= FAILURES_BEFORE_OFF || this.size === 0) return null;
    const key = settingsKey(settings);
    if (key !== this.key) {
      this.key = key;
      this.settings = settings;
      for (const spare of this.parked) void this.discard(spare);
    }
    const spare = this.parked.values().next().value;
    if (spare) this.parked.delete(spare);
    return spare ?? null;
  }

  /** Starts spares for the settings last taken until `size` are parked or starting. */
  refill(): void {
    if (this.key === null || this.failuresInARow >= FAILURES_BEFORE_OFF) return;
    while (!this.closed && this.count < this.size) {
      const start = this.startOne(this.key, this.settings!);
      this.allStarts.add(start);
      void start.finally(() => this.allStarts.delete(start));
    }
  }

  /** Stops every spare, parked or starting, and starts no more. */
  async close(): Promise<void> {
    this.closed = true;
    this.startsAbort.abort();
    await Promise.all([...[...this.parked].map((spare) => this.discard(spare)), ...this.allStarts]);
  }

  private async startOne(key: string, settings: SpareSettings): Promise<void> {
    this.starting += 1;
    const proc = new AgentProcess();
    const abortController = new AbortController();
    const abortStart = () => abortController.abort();
    this.startsAbort.signal.addEventListener('abort', abortStart, { once: true });
    let sdk: SpareProcess;
    try {
      const { prewarm } = await import('@anthropic-ai/claude-agent-sdk');
      sdk = await prewarm({
        options: this.startOptions(settings, { abortController, spawnClaudeCodeProcess: proc.spawn }),
        initializeTimeoutMs: PARK_TIMEOUT_MS,
      });
    } catch (error) {
      this.starting -= 1;
      this.startsAbort.signal.removeEventListener('abort', abortStart);
      await proc.stop();
      if (this.closed) return;
      // Not replaced until the next task asks: a spare that cannot start would fail again at once.
      this.failuresInARow += 1;
      if (this.failuresInARow === FAILURES_BEFORE_OFF) {
        this.warn(
          `warm agents are off: spare Claude Code processes could not be started (${String(error)}); tasks start their own`,
        );
      }
      return;
    }
    this.starting -= 1;
    this.startsAbort.signal.removeEventListener('abort', abortStart);
    this.failuresInARow = 0;
    const spare: Parked = { sdk, process: proc, abortController, key };
    if (this.closed || key !== this.key) return this.discard(spare);
    this.parked.add(spare);
    // A spare that died while parked is dropped; the next run refills the pool.
    void sdk.exited.then(() => this.parked.delete(spare));
  }

  private async discard(spare: Parked): Promise<void> {
    this.parked.delete(spare);
    spare.abortController.abort();
    spare.sdk.close();
    await spare.process.stop();
  }
}

function settingsKey(settings: SpareSettings): string {
  const env = Object.entries(settings.env)
    .filter((entry) => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([env, settings.model, settings.maxTurns, settings.maxBudgetUsd, settings.permissionMode]);
}
