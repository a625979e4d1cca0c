/** Free space where the home (database, logs, worktrees) lives. */
import { statfs } from 'node:fs/promises';
import { result, type Check } from './check.js';
import { nearestExisting } from './writable.js';

/** Below this, a SQLite write, a log or a worktree may fail with ENOSPC soon. */
const LOW_SPACE_BYTES = 1024 ** 3;
const GIB = 1024 ** 3;

export const checkDiskSpace: Check = async ({ config }) => {
  const dir = await nearestExisting(config.home);
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  const amount = `${(free / GIB).toFixed(1)} GiB free in ${dir}`;
  return free >= LOW_SPACE_BYTES
    ? result('disk_space', 'Disk space', 'ok', amount)
    : result(
        'disk_space',
        'Disk space',
        'fail',
        `only ${amount}`,
        'Free some space (old worktrees are under CLAUDE_WORKER_WORKTREES_DIR), or lower CLAUDE_WORKER_RETENTION_DAYS.',
      );
};
