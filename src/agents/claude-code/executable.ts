/**
 * Which Claude Code executable a run starts, found the way the Agent SDK
 * finds it: the configured path when there is one, else the native binary of
 * the SDK's platform package (an optional dependency, so it can be missing).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const VERSION_TIMEOUT_MS = 10_000;

export interface ClaudeExecutable {
  path: string;
  /** Configured (CLAUDE_WORKER_CLAUDE_PATH) or bundled with the SDK. */
  source: 'configured' | 'bundled';
}

/** Null when nothing is configured and the SDK's platform package is not installed. */
export function resolveClaudeExecutable(configured: string | null): ClaudeExecutable | null {
  if (configured) return { path: configured, source: 'configured' };
  const fromSdk = createRequire(import.meta.resolve('@anthropic-ai/claude-agent-sdk'));
  const suffix = process.platform === 'win32' ? '.exe' : '';
  for (const name of platformPackages()) {
    try {
      const path = fromSdk.resolve(`${name}/claude${suffix}`);
      if (existsSync(path)) return { path, source: 'bundled' };
    } catch {
      // This variant is not installed; try the next.
    }
  }
  return null;
}

/** The same order as the SDK: on Linux the glibc build first, then musl. */
function platformPackages(): string[] {
  const base = `@anthropic-ai/claude-agent-sdk-${process.platform === 'android' ? 'linux' : process.platform}-${process.arch}`;
  if (process.platform === 'linux') return [base, `${base}-musl`];
  if (process.platform === 'android') return [`${base}-android`];
  return [base];
}

/** What `claude --version` prints; `.js`/`.mjs` executables run with this node, as the SDK runs them. */
export async function claudeVersion(executable: string): Promise<string> {
  const viaNode = /\.(c|m)?js$/.test(executable);
  const [command, args] = viaNode ? [process.execPath, [executable, '--version']] : [executable, ['--version']];
  const { stdout } = await promisify(execFile)(command, args, { timeout: VERSION_TIMEOUT_MS });
  return stdout.trim();
}
