/** SQLite's write-ahead log on the file system that holds the database. */
import { dirname } from 'node:path';
import { isPostgresUrl } from '../../core/config.js';
import { walProblem } from '../../store/sqlite/wal-probe.js';
import { result, type Check } from './check.js';
import { nearestExisting } from './writable.js';

const TITLE = 'SQLite WAL';

export const checkSqliteWal: Check = async ({ config }) => {
  if (isPostgresUrl(config.dbPath)) return result('sqlite_wal', TITLE, 'skip', 'PostgreSQL is configured');
  const dir = await nearestExisting(dirname(config.dbPath));
  let problem: string | null;
  try {
    problem = await walProblem(dir);
  } catch (error) {
    // The directory cannot be written: the database check above says so and how to fix it.
    return result('sqlite_wal', TITLE, 'skip', `could not try it in ${dir} (${(error as NodeJS.ErrnoException).code})`);
  }
  return problem === null
    ? result('sqlite_wal', TITLE, 'ok', `supported in ${dir}`)
    : result(
        'sqlite_wal',
        TITLE,
        'fail',
        `SQLite cannot use WAL in ${dir}: ${problem}`,
        'Put the database on a local disk (CLAUDE_WORKER_DB=/path/on/local/disk/tasks.db); network file systems do not support WAL. ' +
          'For several machines use PostgreSQL.',
      );
};
