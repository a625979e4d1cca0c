/**
 * Deciding how a run ended. A task is `completed` only when Claude Code sent a
 * `result` with subtype `success` and `is_error` false; every other ending is
 * a failure with a code and a message that says what to do.
 */
import type { RunStats, TokenUsage } from '../../core/task.js';
import type { AgentRunResult } from '../agent.js';
import { contentBlocks, type ClaudeMessage } from './messages.js';

const ROOT_BYPASS_SIGNATURE = /cannot be used with root\/sudo privileges/i;
const AUTH_TEXT = /invalid api key|not logged in|authentication[_ ]failed|invalid bearer token|oauth token (has )?expired|please run \/login/i;

export const ROOT_BYPASS_ADVICE =
  'Claude Code refuses permission mode bypassPermissions when it runs as root. Run claude-worker as a normal user, ' +
  'or use --permission-mode acceptEdits (CLAUDE_WORKER_PERMISSION_MODE=acceptEdits), ' +
  'or set IS_SANDBOX=1 in the server environment if this machine is a disposable sandbox.';

/** Collects what a run reported, message by message. */
export class RunObservation {
  result: ClaudeMessage | null = null;
  apiKeySource: string | null = null;
  private sessionId: string | null = null;
  private authErrorSeen = false;
  private lastText: string | null = null;

  observe(message: ClaudeMessage): void {
    if (message.session_id) this.sessionId = message.session_id;
    if (message.type === 'system' && message.subtype === 'init' && message.apiKeySource) {
      this.apiKeySource = message.apiKeySource;
    } else if (message.type === 'assistant') {
      if (message.error === 'authentication_failed') this.authErrorSeen = true;
      const text = contentBlocks(message).filter((b) => b.type === 'text' && b.text).map((b) => b.text).join('\n');
      if (text.trim()) this.lastText = text.trim();
    } else if (message.type === 'result') {
      this.result = message;
    }
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
    return AUTH_TEXT.test([r?.result ?? '', ...(r?.errors ?? [])].join(' '));
  }

  /** The agent's last words: the result text, else the last thing it said. */
  summary(): string | null {
    return this.result?.result?.trim() || this.lastText;
  }
}

export interface ProcessEnd {
  /** What the SDK's iterator threw, if anything. */
  thrown: unknown;
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
}

export function classifyRun(observation: RunObservation, end: ProcessEnd, maxTurns: number | null): Extract<AgentRunResult, { outcome: 'completed' | 'failed' }> {
  const stats = observation.stats();
  const result = observation.result;
  const summary = observation.summary();
  if (result && result.subtype === 'success' && result.is_error !== true) {
    return { outcome: 'completed', summary: summary ?? '', stats };
  }
  const fail = (code: Parameters<typeof failed>[0], message: string) => failed(code, message, summary, stats);
  const thrownText = end.thrown instanceof Error ? end.thrown.message : end.thrown ? String(end.thrown) : '';
  if (ROOT_BYPASS_SIGNATURE.test(end.stderrTail) || ROOT_BYPASS_SIGNATURE.test(thrownText)) {
    return fail('root_bypass_refused', ROOT_BYPASS_ADVICE);
  }
  if (result) {
    const reported = [...new Set([result.result, ...(result.errors ?? [])].filter(Boolean))].join('; ') || result.subtype || 'unknown error';
    if (observation.isAuthFailure()) {
      return fail(
        'auth_failed',
        `Claude Code could not authenticate: ${reported}. Set a valid ANTHROPIC_API_KEY, or log in with \`claude auth login\` (or \`claude setup-token\` and CLAUDE_CODE_OAUTH_TOKEN) in the environment the server runs in.`,
      );
    }
    if (result.subtype === 'error_max_turns') {
      return fail(
        'max_turns',
        `Stopped after reaching the turn limit${maxTurns ? ` (max_turns ${maxTurns})` : ''} before finishing. Raise --max-turns or split the task.`,
      );
    }
    if (result.subtype === 'error_max_budget_usd') return fail('max_budget', `Stopped at the budget limit: ${reported}`);
    return fail('agent_error', `Claude Code reported an error (${result.subtype}): ${reported}`);
  }
  const stderr = end.stderrTail.trim() ? ` Last stderr: ${end.stderrTail.trim()}` : '';
  if (end.exitCode === 0 && !end.thrown) {
    return fail('no_result', `Claude Code exited without reporting a result.${stderr}`);
  }
  const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.exitCode ?? '?'}`;
  const detail = thrownText && !thrownText.includes('exited with code') ? ` (${thrownText})` : '';
  return fail('crashed', `Claude Code ${how} without a result${detail}.${stderr}`);
}

function failed(
  code: Extract<AgentRunResult, { outcome: 'failed' }>['code'],
  message: string,
  summary: string | null,
  stats: RunStats,
): Extract<AgentRunResult, { outcome: 'failed' }> {
  return { outcome: 'failed', code, message, summary, stats };
}

function toTokenUsage(usage: Record<string, number | undefined>): TokenUsage {
  return {
    input_tokens: usage.input_tokens ?? 0,
    output_tokens: usage.output_tokens ?? 0,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
  };
}
