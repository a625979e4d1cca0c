/**
 * Which credentials and privileges a run may use. The specification promises
 * "API key first, then fall back to the Claude subscription"; and Claude Code
 * refuses bypassPermissions as root, which we detect before starting it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PermissionMode } from '../../core/task.js';
import type { AgentRunResult } from '../agent.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether Claude Code will refuse to start: bypassPermissions as root without IS_SANDBOX=1. */
export function refusesRootBypass(uid: number | undefined, mode: PermissionMode, env: Env): boolean {
  return uid === 0 && mode === 'bypassPermissions' && env.IS_SANDBOX !== '1';
}

/** A Claude login that works without the API key: an OAuth token, or credentials stored by `claude auth login`. */
export function hasClaudeLogin(env: Env): boolean {
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return true;
  const configDir = env.CLAUDE_CONFIG_DIR || (env.HOME ? join(env.HOME, '.claude') : null);
  return configDir !== null && existsSync(join(configDir, '.credentials.json'));
}

/**
 * The environment for a second run on the user's Claude login, or null when
 * there is no reason or no way to make one: only when the run was refused
 * authentication while it used ANTHROPIC_API_KEY (a key disables the login,
 * so the login never got its chance) and a login exists.
 */
export function loginFallbackEnv(result: AgentRunResult, env: Env): Record<string, string | undefined> | null {
  const apiKeyRejected =
    result.outcome === 'failed' &&
    result.code === 'auth_failed' &&
    result.stats.api_key_source === 'ANTHROPIC_API_KEY' &&
    Boolean(env.ANTHROPIC_API_KEY);
  if (!apiKeyRejected || !hasClaudeLogin(env)) return null;
  const { ANTHROPIC_API_KEY: _rejected, ...rest } = env;
  return rest;
}
