/**
 * Runs a task in a Claude Code process through the Agent SDK's `query()`:
 * Claude Code's own system prompt with the task's appended, the task's model,
 * permission mode, turn limit and working directory, and the user's
 * environment so Claude Code authenticates itself.
 */
import type { SpareProcess } from '@anthropic-ai/claude-agent-sdk';
import type { Agent, AgentObserver, AgentRunRequest, AgentRunResult } from '../agent.js';
import { describeMessage } from './activity.js';
import { resolveClaudeExecutable } from './executable.js';
import { loginFallbackEnv, refusesRootBypass } from './credentials.js';
import { asClaudeMessage } from './messages.js';
import { buildClaimOptions, buildQueryOptions, buildSpareOptions, spareSettings } from './options.js';
import { classifyRun, errorText, ROOT_BYPASS_ADVICE, RunObservation } from './outcome.js';
import { canResume, CONTINUE_PROMPT } from './resume.js';
import { SparePool, type ClaimableSpare } from './spare-pool.js';
import { AgentProcess } from './spawn.js';

type Env = AgentRunRequest['env'];

const MISSING_EXECUTABLE_ADVICE =
  'Claude Code is not installed: the binary bundled with the Agent SDK is missing (installed with --omit=optional?). ' +
  'Reinstall claude-worker without --omit=optional, or set CLAUDE_WORKER_CLAUDE_PATH to a Claude Code executable. ' +
  'Run `claude-worker doctor` to check the setup.';

export interface ClaudeCodeAgentOptions {
  /** A Claude Code executable to run instead of the one bundled with the SDK (`.js`/`.mjs` run with node). */
  executablePath?: string | null;
  /**
   * How many Claude Code processes to keep started ahead of their tasks
   * (0: none). Only with the bundled executable: another may not know how
   * to wait for its task.
   */
  warmAgents?: number;
  /** Where the agent says that it had to turn its warm processes off. */
  warn?: (line: string) => void;
}

/** A run that may not take a spare: its messages would not fit one, or it already had its chance. */
type RunStart = 'cold' | 'spare allowed';

export class ClaudeCodeAgent implements Agent {
  private readonly executablePath: string | null;
  private readonly spares: SparePool | null;

  constructor(options: ClaudeCodeAgentOptions = {}) {
    this.executablePath = options.executablePath ?? null;
    const warmAgents = this.executablePath ? 0 : (options.warmAgents ?? 0);
    this.spares = warmAgents > 0 ? new SparePool(warmAgents, buildSpareOptions, options.warn) : null;
  }

  /** Claude Code processes parked for tasks to come, ready to be claimed. */
  get warmAgentsReady(): number {
    return this.spares?.ready ?? 0;
  }

  /** Stops the processes kept warm for tasks to come. */
  async close(): Promise<void> {
    await this.spares?.close();
  }

  /**
   * The SDK is one large module (1.4 MB), left out of the process's start so
   * that a server answers sooner; loading it once the process is up keeps it
   * off the first task's wait too (measured: the first task of a fresh server
   * took ~100 ms longer, the p99 of submit → agent started).
   */
  async warmUp(): Promise<void> {
    await import('@anthropic-ai/claude-agent-sdk').catch(() => undefined);
  }

  async run(request: AgentRunRequest, observer: AgentObserver): Promise<AgentRunResult> {
    // Claude Code would exit at once with a one-line complaint; say why and what to do instead.
    if (refusesRootBypass(process.getuid?.(), request.permissionMode, request.env)) {
      observer.onActivity({ line: `[error] ${ROOT_BYPASS_ADVICE}` });
      return { outcome: 'failed', code: 'root_bypass_refused', message: ROOT_BYPASS_ADVICE, summary: null, stats: {} };
    }
    // Without this the SDK's own error would name an option of its API, not the setting a user can change.
    if (resolveClaudeExecutable(this.executablePath) === null) {
      observer.onActivity({ line: `[error] ${MISSING_EXECUTABLE_ADVICE}` });
      return { outcome: 'failed', code: 'spawn_failed', message: MISSING_EXECUTABLE_ADVICE, summary: null, stats: {} };
    }
    const run = await this.resumeIfPossible(request, observer);
    // A resumed session is named when the process starts, which a spare did before its task was known.
    const first = await this.runOnce(run, run.env, observer, run.resumeSessionId ? 'cold' : 'spare allowed');
    const loginEnv = loginFallbackEnv(first, run.env);
    if (!loginEnv || run.signal.aborted) return first;
    observer.onActivity({ line: '[auth] ANTHROPIC_API_KEY was rejected; running the task again with your Claude login' });
    return this.runOnce(run, loginEnv, observer, 'cold');
  }

  /**
   * The request to run: continuing the interrupted attempt's session when it
   * is on this machine, else the session of the task this one follows up,
   * else from the start.
   */
  private async resumeIfPossible(request: AgentRunRequest, observer: AgentObserver): Promise<AgentRunRequest> {
    const sessionId = request.resumeSessionId;
    if (sessionId) {
      if (await canResume(sessionId, request.cwd)) {
        observer.onActivity({ line: `[resume] continuing session ${sessionId} of the interrupted attempt` });
        return { ...request, prompt: CONTINUE_PROMPT };
      }
      observer.onActivity({
        line: `[resume] session ${sessionId} of the interrupted attempt is not on this machine or cannot be read; starting over`,
      });
    }
    const followUp = request.followUp;
    if (!followUp) return { ...request, resumeSessionId: null };
    if (followUp.sessionId && (await canResume(followUp.sessionId, request.cwd))) {
      observer.onActivity({ line: `[resume] continuing session ${followUp.sessionId} of task ${followUp.taskId}` });
      return { ...request, resumeSessionId: followUp.sessionId };
    }
    const why = followUp.sessionId
      ? `session ${followUp.sessionId} of task ${followUp.taskId} is not on this machine or cannot be read`
      : `task ${followUp.taskId} has no session to continue`;
    observer.onActivity({ line: `[resume] ${why}; starting over with the prompt and summary of task ${followUp.taskId}` });
    return { ...request, resumeSessionId: null, prompt: followUp.startOverPrompt };
  }

  /** One Claude Code process, a warm spare when one fits, else one started now; until its whole process group is gone. */
  private async runOnce(request: AgentRunRequest, env: Env, observer: AgentObserver, start: RunStart): Promise<AgentRunResult> {
    if (request.signal.aborted) return { outcome: 'aborted', stats: {} };
    const spares = start === 'spare allowed' ? this.spares : null;
    const spare = spares?.take(spareSettings(request, env));
    if (spares) {
      // The next task's spare starts once this one's agent has what it needs to reach the model.
      const told = observer;
      observer = {
        ...told,
        onModelAnswered: () => {
          spares.refill();
          told.onModelAnswered?.();
        },
      };
    }
    try {
      return await this.runStarted(request, env, observer, spare ?? null);
    } finally {
      spares?.refill();
    }
  }

  private async runStarted(
    request: AgentRunRequest,
    env: Env,
    observer: AgentObserver,
    spare: ClaimableSpare | null,
  ): Promise<AgentRunResult> {
    if (spare) {
      const claimed = await this.runOnSpare(spare, request, observer);
      // Refused (a folder whose settings a spare cannot take, the spare died): nothing ran; start one.
      if (claimed) return claimed;
    }
    const proc = new AgentProcess((info) => observer.onSpawn(info));
    const abortController = new AbortController();
    return this.drive(request, observer, proc, abortController, async () => {
      const options = buildQueryOptions(request, {
        env,
        executablePath: this.executablePath,
        abortController,
        spawn: proc.spawn,
      });
      // Loaded by the first task, not at server start: the SDK is one large module.
      const { query } = await import('@anthropic-ai/claude-agent-sdk');
      return query({ prompt: request.prompt, options });
    });
  }

  /** Null when the spare refused the task before anything ran. */
  private async runOnSpare(
    spare: ClaimableSpare,
    request: AgentRunRequest,
    observer: AgentObserver,
  ): Promise<AgentRunResult | null> {
    let refused = false;
    const result = await this.drive(request, observer, spare.process, spare.abortController, async () => {
      let messages: ReturnType<SpareProcess['claim']> | null = null;
      try {
        // Throws at once when the spare exited since it was taken from the pool.
        messages = spare.sdk.claim({ prompt: request.prompt, options: buildClaimOptions(request) });
        await spare.sdk.claimed;
      } catch {
        // The claim carries no model, so no refusal leaves the prompt running: nothing ran.
        refused = true;
        messages?.close();
        return [];
      }
      spare.process.announceTo((info) => observer.onSpawn(info));
      return messages;
    });
    return refused && !request.signal.aborted ? null : result;
  }

  /** Reads the agent's messages until its result, then waits for (or ends) its process group and tells how the run ended. */
  private async drive(
    request: AgentRunRequest,
    observer: AgentObserver,
    proc: AgentProcess,
    abortController: AbortController,
    start: () => Promise<AsyncIterable<unknown> | Iterable<unknown>>,
  ): Promise<AgentRunResult> {
    const observation = new RunObservation();
    let resultBeforeAbort = false;
    // Kill the whole group at once: the SDK's own abort only closes stdin and
    // signals the leader after a ~2 s grace, and never reaches the shells and
    // servers the agent started.
    const onAbort = () => {
      resultBeforeAbort = observation.lastResult !== null;
      abortController.abort(request.signal.reason);
      void proc.stop();
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    let thrown: unknown = null;
    let answerTold = false;
    try {
      for await (const raw of await start()) {
        observer.onMessage(raw);
        const message = asClaudeMessage(raw);
        if (!message) continue;
        observation.observe(message);
        if (!answerTold && observation.modelAnswered) {
          answerTold = true;
          observer.onModelAnswered?.();
        }
        for (const activity of describeMessage(message, request.cwd)) observer.onActivity(activity);
        // The result ends the run (one prompt, one result). Reading on would
        // wait for Claude Code's stdout to close, which a background process
        // that inherited it (a hook, an MCP server, a shell) can hold open
        // for ever; settle() below stops whatever is left of the group.
        if (message.type === 'result') break;
      }
    } catch (error) {
      // Error results are yielded before the SDK throws: the observation already holds them.
      thrown = error;
    }
    // Still listening: an abort while Claude Code winds down must reach its group too.
    const exit = await proc.settle();
    request.signal.removeEventListener('abort', onAbort);
    // A result that arrived before the abort still tells how the task ended.
    if (request.signal.aborted && !resultBeforeAbort) return { outcome: 'aborted', stats: observation.stats() };
    const startFailure = proc.spawnError?.message ?? (proc.started ? null : errorText(thrown) || 'the SDK never started it');
    return classifyRun(observation, { thrown, startFailure, ...exit, stderrTail: proc.stderrTail }, request.maxTurns);
  }
}
