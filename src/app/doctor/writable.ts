/**
 * Whether the home and the SQLite database can be written, by trying it: a
 * permission check alone misses read-only file systems, and root passes every
 * permission check.
 */
import { constants } from 'node:fs';
import { access, mkdtemp, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isPostgresUrl } from '../../core/config.js';
import { result, type Check, type CheckResult } from './check.js';

/** The directory itself when it exists, else its nearest existing ancestor (where it would be created). */
export async function nearestExisting(path: string): Promise<string> {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      await stat(dir);
      return dir;
    } catch (error) {
      if (dirname(dir) === dir) throw error;
    }
  }
}

/** Null when a file can be created in `dir`, else why not. */
async function cannotWrite(dir: string): Promise<string | null> {
  try {
    await rmdir(await mkdtemp(join(dir, '.claude-worker-doctor-')));
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

async function checkDirectory(id: string, title: string, dir: string, fix: string): Promise<CheckResult> {
  const existing = await nearestExisting(dir);
  const why = await cannotWrite(existing);
  const created = existing === dir ? '' : ` (does not exist yet; it will be created in ${existing})`;
  return why === null
    ? result(id, title, 'ok', `${dir} is writable${created}`)
    : result(id, title, 'fail', `${existing === dir ? dir : existing} is not writable (${why})${created}`, fix);
}

export const checkWritable: Check = async ({ config }) => {
  const home = await checkDirectory(
    'home',
    'Home directory',
    config.home,
    `Make ${config.home} writable by this user (chown/chmod), or set CLAUDE_WORKER_HOME to a directory it can write.`,
  );
  if (isPostgresUrl(config.dbPath)) return [home, result('database', 'Database file', 'skip', 'PostgreSQL is configured')];
  // SQLite writes the -wal and -shm files beside the database, so its directory must be writable too.
  const database = await checkDirectory(
    'database',
    'Database file',
    dirname(config.dbPath),
    `Make the directory of ${config.dbPath} writable by this user, or set CLAUDE_WORKER_DB to a file in a writable directory.`,
  );
  if (database.status === 'ok') {
    try {
      await access(config.dbPath, constants.W_OK);
      database.detail = `${config.dbPath} is writable`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return [
          home,
          result(
            'database',
            'Database file',
            'fail',
            `${config.dbPath} is not writable (${(error as NodeJS.ErrnoException).code})`,
            `Give this user write access to ${config.dbPath} (chown/chmod), or set CLAUDE_WORKER_DB to another file.`,
          ),
        ];
      }
      database.detail = `${config.dbPath} will be created (its directory is writable)`;
    }
  }
  return [home, database];
};
