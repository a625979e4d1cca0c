/**
 * The environment for the REAL Claude Code binary against the loopback API
 * stand-in: a throwaway HOME and config dir, no retries, no telemetry, and
 * nothing from the developer's own environment that could change behaviour.
 */
import { join } from 'node:path';

export function realClaudeEnv(apiUrl: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    // The tests run as root; Claude Code refuses bypassPermissions as root without this.
    IS_SANDBOX: '1',
    ...extra,
  };
}
