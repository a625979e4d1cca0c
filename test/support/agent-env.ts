/**
 * The environment for the REAL Claude Code binary against the loopback API
 * stand-in (test/support/fake-anthropic-api.ts): a throwaway HOME and config
 * dir, no retries, no side traffic, and nothing from the developer's own
 * environment that could change behaviour (credentials, settings, proxies).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * `home` should be a fresh temp dir (Claude Code creates its config under
 * it). `extra` adds or overrides variables; an `undefined` value removes one.
 */
export function realClaudeEnv(
  apiUrl: string,
  home: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-key',
    // No HEAD /api/hello, no side requests: only the Messages calls the task makes.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // A refused request fails at once instead of after ~3 min of retries.
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    // The tests run as root; Claude Code refuses bypassPermissions as root without this.
    IS_SANDBOX: '1',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The native Claude Code binary the SDK runs by default (an optional dependency per platform). */
export function bundledClaudePath(): string {
  const manifest = `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}/package.json`;
  return join(dirname(createRequire(import.meta.url).resolve(manifest)), 'claude');
}
