/**
 * Runs a task in a Claude Code process through the Agent SDK's `query()`:
 * Claude Code's own system prompt with the task's appended, the task's model,
 * permission mode, turn limit and working directory, and the user's
 * environment so Claude Code authenticates itself.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { query, type Options } from '@anthropic-ai/claude-agent-sdk';
import { isGroupAlive, killGroup } from '../../host/process-group.js';
import type { Agent, AgentObserver, AgentRunRequest, AgentRunResult } from '../agent.js';
import { describeMessage } from './activity.js';
import { hasClaudeLogin, refusesRootBypass, withoutApiKey } from './credentials.js';
import { asClaudeMessage } from './messages.js';
import { classifyRun, ROOT_BYPASS_ADVICE, RunObservation } from './outcome.js';
import { AgentProcess } from './spawn.js';

/** After the last message, how long Claude Code gets to exit on its own before its group is killed. */
const EXIT_GRACE_MS = 10_000;

export interface ClaudeCodeAgentOptions {
  /** A Claude Code executable to run instead of the one bundled with the SDK (`.js`/`.mjs` run with node). */
  executablePath?: string | null;
}

export class ClaudeCodeAgent implements Agent {
  constructor(private readonly options: ClaudeCodeAgentOptions = {}) {}

  async run(request: AgentRunRequest, observer: AgentObserver): Promise<AgentRunResult> {
    if (refusesRootBypass(process.getuid?.(), request.permissionMode, request.env)) {
      observer.onActivity({ line: `[error] ${ROOT_BYPASS_ADVICE}` });
      return { outcome: 'failed', code: 'root_bypass_refused', message: ROOT_BYPASS_ADVICE, summary: null, stats: {} };
    }
    const first = await this.runOnce(request, request.env, observer);
    const apiKeyRejected =
      first.outcome === 'failed' && first.code === 'auth_failed' && first.stats.api_key_source === 'ANTHROPIC_API_KEY';
    if (apiKeyRejected && hasClaudeLogin(request.env) && !request.signal.aborted) {
      observer.onActivity({ line: '[auth] the API key was rejected; running again with your Claude login' });
      return this.runOnce(request, withoutApiKey(request.env), observer);
    }
    return first;
  }

  private async runOnce(
    request: AgentRunRequest,
    env: Readonly<Record<string, string | undefined>>,
    observer: AgentObserver,
  ): Promise<AgentRunResult> {
    const proc = new AgentProcess(observer.onSpawn);
    const observation = new RunObservation();
    // Stop the whole process group at once on abort. The SDK's own abort only
    // closes stdin and signals the direct child after a 2 s grace, and never
    // reaches the shells and servers the agent started; the iterator ends when
    // the child exits.
    const stopTree = () => {
      if (proc.child?.pid) void killGroup(proc.child.pid);
    };
    request.signal.addEventListener('abort', stopTree, { once: true });
    let thrown: unknown = null;
    try {
      if (request.signal.aborted) return { outcome: 'aborted', stats: {} };
      for await (const raw of query({ prompt: request.prompt, options: this.queryOptions(request, env, proc) })) {
        observer.onMessage(raw);
        const message = asClaudeMessage(raw);
        if (!message) continue;
        observation.observe(message);
        for (const activity of describeMessage(message, request.cwd)) observer.onActivity(activity);
      }
    } catch (error) {
      thrown = error;
    } finally {
      request.signal.removeEventListener('abort', stopTree);
    }
    const exit = await this.waitForExit(proc);
    if (request.signal.aborted) return { outcome: 'aborted', stats: observation.stats() };
    if (proc.spawnError) {
      return {
        outcome: 'failed',
        code: 'spawn_failed',
        message: `Could not start Claude Code: ${proc.spawnError.message}`,
        summary: null,
        stats: observation.stats(),
      };
    }
    return classifyRun(observation, { thrown, ...exit, stderrTail: proc.stderrTail }, request.maxTurns);
  }

  private queryOptions(request: AgentRunRequest, env: Options['env'], proc: AgentProcess): Options {
    return {
      cwd: request.cwd,
      env,
      // Omitting systemPrompt would give Claude Code an empty one: always ask for its own.
      systemPrompt: {
        type: 'preset',
        preset: 'claude_code',
        ...(request.systemPrompt ? { append: request.systemPrompt } : {}),
      },
      permissionMode: request.permissionMode,
      allowDangerouslySkipPermissions: request.permissionMode === 'bypassPermissions',
      ...(request.model ? { model: request.model } : {}),
      ...(request.maxTurns ? { maxTurns: request.maxTurns } : {}),
      ...(this.options.executablePath ? { pathToClaudeCodeExecutable: this.options.executablePath } : {}),
      spawnClaudeCodeProcess: proc.spawn,
    };
  }

  /** Waits for the agent process, kills its group if it lingers, and leaves no member of the group behind. */
  private async waitForExit(proc: AgentProcess): Promise<{ exitCode: number | null; signal: string | null }> {
    if (!proc.child) return { exitCode: null, signal: null };
    const pgid = proc.child.pid;
    const grace = new AbortController();
    let exit = await Promise.race([
      proc.exited,
      delay(EXIT_GRACE_MS, null, { signal: grace.signal }).catch(() => null),
    ]);
    grace.abort(); // a pending grace timer would keep a stopping server alive for 10 s
    if (!exit && pgid) {
      await killGroup(pgid);
      exit = await proc.exited;
    }
    if (pgid && isGroupAlive(pgid)) await killGroup(pgid);
    return { exitCode: exit?.code ?? null, signal: exit?.signal ?? null };
  }
}
