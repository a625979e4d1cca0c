/**
 * Which credentials a run may use. The specification promises "API key first,
 * then fall back to the Claude subscription"; and Claude Code refuses
 * bypassPermissions as root, which we detect before starting it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PermissionMode } from '../../core/task.js';

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

/** The environment for a second run on the user's login: the same, without the API key. */
export function withoutApiKey(env: Env): Record<string, string | undefined> {
  const { ANTHROPIC_API_KEY: _dropped, ...rest } = env;
  return rest;
}
