/** git, which worktree isolation runs; merging a task's branch needs `merge-tree --write-tree` (git 2.38). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { result, type Check } from './check.js';
import { isAtLeast } from './node-version.js';

const MINIMUM_GIT = '2.38';

export const checkGit: Check = async ({ env }) => {
  let output: string;
  try {
    ({ stdout: output } = await promisify(execFile)('git', ['--version'], { env: { ...env }, timeout: 10_000 }));
  } catch {
    return result(
      'git',
      'git',
      'fail',
      'git is not on the PATH',
      `Install git ${MINIMUM_GIT} or newer (apt install git, brew install git); without it tasks cannot run in worktrees.`,
    );
  }
  const version = /(\d+\.\d+(\.\d+)?)/.exec(output)?.[1] ?? output.trim();
  return isAtLeast(version, MINIMUM_GIT)
    ? result('git', 'git', 'ok', `${version} (worktrees need ${MINIMUM_GIT} or newer)`)
    : result(
        'git',
        'git',
        'fail',
        `${version} is older than ${MINIMUM_GIT}, which merging a task's branch needs (git merge-tree --write-tree)`,
        `Upgrade git to ${MINIMUM_GIT} or newer, or run tasks without isolation (CLAUDE_WORKER_ISOLATION=none).`,
      );
};
