/**
 * What a project asks for in a fresh worktree, in `.claude-worker.json` at
 * its repository root: ignored files to copy in (`worktree.copy`, e.g.
 * `.env*`) and a command to run before the agent starts (`worktree.setup`,
 * e.g. `npm ci`). Both are optional; without the file nothing happens.
 */
import { spawn } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { globMatcher } from './file-glob.js';
import { git } from './git-command.js';
import { WorkspaceError } from './workspace-error.js';

export const BOOTSTRAP_FILE = '.claude-worker.json';

export interface WorktreeBootstrap {
  copy: string[];
  setup: string | null;
}

export interface BootstrapRun {
  repositoryRoot: string;
  worktreePath: string;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  /** Each line the setup command prints, and what was done. */
  onLine: (line: string) => void;
}

/** Copies the ignored files asked for (never over a file the worktree has) and runs the setup command. */
export async function bootstrapWorktree(run: BootstrapRun): Promise<void> {
  const bootstrap = await readBootstrap(run.repositoryRoot);
  if (bootstrap.copy.length > 0) {
    const copied = await copyIgnored(run.repositoryRoot, run.worktreePath, bootstrap.copy);
    run.onLine(`copied ${copied.length} ignored path(s) into the worktree${copied.length ? `: ${copied.join(', ')}` : ''}`);
  }
  if (bootstrap.setup !== null) await runSetup(bootstrap.setup, run);
}

export async function readBootstrap(root: string): Promise<WorktreeBootstrap> {
  const path = join(root, BOOTSTRAP_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { copy: [], setup: null };
    throw new WorkspaceError(`${path} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WorkspaceError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const worktree = (parsed as { worktree?: unknown } | null)?.worktree ?? {};
  const { copy = [], setup = null } = worktree as { copy?: unknown; setup?: unknown };
  if (!Array.isArray(copy) || !copy.every((p) => typeof p === 'string' && p !== '')) {
    throw new WorkspaceError(`${path}: worktree.copy must be a list of file name patterns such as ".env*"`);
  }
  if (setup !== null && (typeof setup !== 'string' || setup.trim() === '')) {
    throw new WorkspaceError(`${path}: worktree.setup must be a shell command such as "npm ci"`);
  }
  return { copy: copy as string[], setup: setup as string | null };
}

/** The ignored paths of the repository matching `patterns`, copied into the worktree; returns them. */
async function copyIgnored(root: string, worktreePath: string, patterns: readonly string[]): Promise<string[]> {
  const matchers = patterns.map(globMatcher);
  // --directory: an ignored directory (node_modules/) is one entry, not every file in it.
  const { stdout } = await git(root, ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z']);
  const paths = stdout
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => entry.replace(/\/$/, ''))
    .filter((path) => matchers.some((matches) => matches(path)));
  for (const path of paths) {
    await cp(join(root, path), join(worktreePath, path), { recursive: true, force: false, errorOnExist: false });
  }
  return paths;
}

function runSetup(command: string, run: BootstrapRun): Promise<void> {
  run.onLine(`running worktree.setup: ${command}`);
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: run.worktreePath,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: run.signal,
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => run.onLine(`[setup] ${line}`));
    }
    child.on('error', (error) => reject(new WorkspaceError(`worktree.setup "${command}" could not run: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = code === null ? `was stopped by ${signal}` : `exited with ${code}`;
      reject(new WorkspaceError(`worktree.setup "${command}" ${how}; its output is in the task log`));
    });
  });
}
