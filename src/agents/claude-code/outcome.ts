/**
 * Deciding how a run ended. A task is `completed` only when Claude Code sent a
 * `result` with subtype `success` and `is_error` not true; every other ending
 * is a failure with a code and a message that says what to do.
 */
import type { FailureCode, RunStats, TokenUsage } from '../../core/task.js';
import type { AgentRunResult } from '../agent.js';
import { describeLimit } from '../../core/queue-pause.js';
import { isTransientApiFailure, LimitWatch } from './limits.js';
import { contentBlocks, resultText, type ClaudeMessage } from './messages.js';

const ROOT_BYPASS_SIGNATURE = /cannot be used with root\/sudo privileges/i;
const AUTH_TEXT =
  /invalid api key|not logged in|authentication[_ ]failed|invalid bearer token|oauth token (has )?expired|please run \/login/i;

export const ROOT_BYPASS_ADVICE =
  'Claude Code refuses permission mode bypassPermissions when it runs as root. Run claude-worker as a normal user, ' +
  'or use --permission-mode acceptEdits (or set CLAUDE_WORKER_PERMISSION_MODE=acceptEdits), ' +
  'or set IS_SANDBOX=1 in the server environment if this machine is a disposable sandbox.';

const AUTH_ADVICE =
  'Set a valid ANTHROPIC_API_KEY, or log in with `claude auth login` (or create a token with `claude setup-token` ' +
  'and set CLAUDE_CODE_OAUTH_TOKEN) in the environment claude-worker runs in.';

type FinishedRun = Extract<AgentRunResult, { outcome: 'completed' | 'failed' | 'limited' }>;
type FailedRun = Extract<AgentRunResult, { outcome: 'failed' }>;

/** Collects what a run reported, message by message. */
export class RunObservation {
  private result: ClaudeMessage | null = null;
  private apiKeySource: string | null = null;
  private sessionId: string | null = null;
  private authErrorSeen = false;
  private lastText: string | null = null;
  private toolUsed = false;
  private answered = false;
  readonly limits = new LimitWatch();

  observe(message: ClaudeMessage): void {
    this.limits.observe(message);
    if (message.session_id) this.sessionId = message.session_id;
    if (message.type === 'system' && message.subtype === 'init' && message.apiKeySource) {
      this.apiKeySource = message.apiKeySource;
    } else if (message.type === 'assistant') {
      if (message.error === 'authentication_failed') this.authErrorSeen = true;
      // Claude Code reports an API failure as an assistant message of its own, flagged with `error`.
      if (!message.error) this.answered = true;
      if (contentBlocks(message).some((b) => b.type === 'tool_use')) this.toolUsed = true;
      const text = contentBlocks(message)
        .filter((b) => b.type === 'text' && b.text)
        .map((b) => b.text)
        .join('\n');
      if (text.trim()) this.lastText = text.trim();
    } else if (message.type === 'result') {
      // One result per turn; the latest carries the cumulative cost.
      this.result = message;
    }
  }

  /** Whether the model has answered at all (an API failure's message does not count). */
  get modelAnswered(): boolean {
    return this.answered;
  }

  /** Whether the agent got as far as using a tool: a crash before that changed nothing and is worth a retry. */
  get usedTool(): boolean {
    return this.toolUsed;
  }

  get lastResult(): ClaudeMessage | null {
    return this.result;
  }

  stats(): RunStats {
    const r = this.result;
    return {
      cost_usd: r?.total_cost_usd ?? null,
      usage: r?.usage ? toTokenUsage(r.usage) : null,
      num_turns: r?.num_turns ?? null,
      duration_ms: r?.duration_ms ?? null,
      session_id: this.sessionId,
      api_key_source: this.apiKeySource,
    };
  }

  isAuthFailure(): boolean {
    const r = this.result;
    if (this.authErrorSeen || r?.api_error_status === 401 || r?.api_error_status === 403) return true;
    return r !== null && AUTH_TEXT.test(resultText(r));
  }

  /** The agent's last words: the result text, else the last thing it said. */
  summary(): string | null {
    return this.result?.result?.trim() || this.lastText;
  }
}

/** How the Claude Code process and the SDK's iterator ended. */
export interface ProcessEnd {
  /** What the SDK's iterator threw, if anything. */
  thrown: unknown;
  /** Why Claude Code could not be started at all (the executable failed to spawn, or the SDK threw first). */
  startFailure: string | null;
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
}

export function classifyRun(observation: RunObservation, end: ProcessEnd, maxTurns: number | null): FinishedRun {
  const stats = observation.stats();
  const summary = observation.summary();
  const fail = (code: FailureCode, message: string): FailedRun => ({ outcome: 'failed', code, message, summary, stats });
  const result = observation.lastResult;
  if (result && result.subtype === 'success' && result.is_error !== true) {
    return { outcome: 'completed', summary: summary ?? '', stats };
  }
  if (end.startFailure !== null)
    return fail(
      'spawn_failed',
      `Could not start Claude Code: ${end.startFailure}. Run \`claude-worker doctor\` to see which executable is used and why it fails.`,
    );
  const thrownText = errorText(end.thrown);
  if (ROOT_BYPASS_SIGNATURE.test(end.stderrTail) || ROOT_BYPASS_SIGNATURE.test(thrownText)) {
    return fail('root_bypass_refused', ROOT_BYPASS_ADVICE);
  }
  const limit = observation.limits.limitThatStopped(result, `${thrownText}\n${end.stderrTail}`);
  if (limit) {
    const reported = (result && resultText(result)) || thrownText || 'no details given';
    return {
      outcome: 'limited',
      ...limit,
      message: `Claude Code reported: ${describeLimit(limit.limitType)}: ${reported}`,
      stats,
    };
  }
  if (result) {
    const reported = resultText(result) || 'no details given';
    if (observation.isAuthFailure())
      return fail('auth_failed', `Claude Code could not authenticate: ${reported}. ${AUTH_ADVICE}`);
    if (result.subtype === 'error_max_turns') {
      const limit = maxTurns ? `max_turns (${maxTurns})` : 'the max_turns limit';
      return fail('max_turns', `Stopped after reaching ${limit} before finishing; raise --max-turns or split the task.`);
    }
    if (result.subtype === 'error_max_budget_usd') return fail('max_budget', `Stopped at the budget limit: ${reported}`);
    if (isTransientApiFailure(result)) {
      return { ...fail('api_unavailable', `The Anthropic API failed for the moment: ${reported}`), transient: true };
    }
    // An API failure mid-run comes as subtype `success` with is_error: that subtype says nothing to the reader.
    const kind = result.subtype && result.subtype !== 'success' ? ` (${result.subtype})` : '';
    return fail('agent_error', `Claude Code reported an error${kind}: ${reported}`);
  }
  const stderr = end.stderrTail.trim() ? ` Last stderr: ${end.stderrTail.trim()}` : '';
  if (end.exitCode === 0 && !end.thrown) return fail('no_result', `Claude Code exited without reporting a result.${stderr}`);
  const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.exitCode ?? 'unknown'}`;
  // The SDK's own "exited with code N" message says nothing the exit code does not.
  const detail = thrownText && !thrownText.includes('exited with code') ? ` (${thrownText})` : '';
  const crashed = fail('crashed', `Claude Code ${how} without a result${detail}.${stderr}`);
  return observation.usedTool ? crashed : { ...crashed, transient: true };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : error ? String(error) : '';
}

function toTokenUsage(usage: Record<string, unknown>): TokenUsage {
  const count = (key: keyof TokenUsage) => (typeof usage[key] === 'number' ? (usage[key] as number) : 0);
  return {
    input_tokens: count('input_tokens'),
    output_tokens: count('output_tokens'),
    cache_creation_input_tokens: count('cache_creation_input_tokens'),
    cache_read_input_tokens: count('cache_read_input_tokens'),
  };
}
