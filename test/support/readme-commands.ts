/**
 * The shell commands the README gives for a step, run the way a reader would
 * type them (with the real `claude` binary on the PATH and a throwaway home),
 * so the docs cannot drift from what works.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundledClaudePath } from './agent-env.js';

export const REPO_ROOT = new URL('../..', import.meta.url).pathname;

/** The lines of the first ```bash block after the README line containing `marker`. */
export function readmeCommands(marker: string): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README.md has no line containing "${marker}"`);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`README.md has no bash block after "${marker}"`);
  return block[1]!
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * An environment where `claude` is the binary bundled with the Agent SDK and
 * its configuration lives under `home` (created here), after `pathFirst` on the PATH.
 */
export function claudeCliEnv(home: string, pathFirst: string[] = []): Record<string, string> {
  mkdirSync(home, { recursive: true });
  return {
    PATH: [...pathFirst, dirname(bundledClaudePath()), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    DISABLE_AUTOUPDATER: '1',
    // How long Claude Code waits for an MCP server to answer; on a loaded machine the default is too short.
    MCP_TIMEOUT: '60000',
  };
}

export interface ShellResult {
  code: number;
  /** stdout and stderr together, as a terminal shows them. */
  output: string;
}

/** Runs one command line with `sh` in the repository root. */
export function runCommand(command: string, env: Record<string, string>): Promise<ShellResult> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd: REPO_ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr });
    });
  });
}
