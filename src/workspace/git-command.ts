/**
 * Runs git for claude-worker's own workspace operations: one place that
 * spawns it, with a clean environment for the parts that would change its
 * behaviour (a GIT_DIR or GIT_INDEX_FILE inherited from a hook, a pager,
 * prompts), and one typed error that carries what git said.
 */
import { execFile } from 'node:child_process';
import { ClaudeWorkerError } from '../core/errors.js';

/** git's answer to a command it refused or failed. */
export class GitError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no message'}`);
    this.name = 'GitError';
  }
}

export interface GitResult {
  stdout: string;
  stderr: string;
  /** 0 on success; with `allowExitCodes`, one of those. */
  exitCode: number;
}

export interface GitOptions {
  /** Exit codes that are answers rather than failures (merge-tree exits 1 on a conflict). */
  allowExitCodes?: readonly number[];
  /** Written to git's standard input. */
  input?: string;
  /** Extra environment, e.g. GIT_AUTHOR_NAME for claude-worker's own commits. */
  env?: Readonly<Record<string, string>>;
}

/** Variables that would point git at another repository or index, or make it wait for a person. */
const STRIPPED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

/** Large diffs are read whole (the callers bound what they show): 256 MiB, far past any real diff. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', ...options.env };
  for (const name of STRIPPED) delete env[name];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...args],
      { cwd, env, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (exitCode === 0 || (exitCode !== null && options.allowExitCodes?.includes(exitCode))) {
          resolve({ stdout, stderr, exitCode });
        } else {
          reject(new GitError(args, exitCode, stderr || (error?.message ?? '')));
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
