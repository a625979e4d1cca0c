/** The PostgreSQL database, when CLAUDE_WORKER_DB names one: reachable, and its schema this version's. */
import { describeDatabase, isPostgresUrl } from '../../core/config.js';
import { readSchemaVersion } from '../../store/postgres/schema-version.js';
import { result, type Check } from './check.js';

const CONNECT_TIMEOUT_MS = 5_000;
const TITLE = 'PostgreSQL';

export const checkPostgres: Check = async ({ config }) => {
  if (!isPostgresUrl(config.dbPath)) return result('postgres', TITLE, 'skip', 'not configured (SQLite is used)');
  const where = describeDatabase(config.dbPath);
  let schema;
  try {
    schema = await readSchemaVersion(config.dbPath, CONNECT_TIMEOUT_MS);
  } catch (error) {
    return result(
      'postgres',
      TITLE,
      'fail',
      `cannot connect to ${where}: ${(error as Error).message}`,
      'Check CLAUDE_WORKER_DB (host, port, user, password, database name) and that PostgreSQL 13 or newer is running and reachable from here.',
    );
  }
  if (schema.found < schema.supported) {
    return result(
      'postgres',
      TITLE,
      'fail',
      `${where} is at schema version ${schema.found} of ${schema.supported}`,
      'Start the server or a worker once (claude-worker server start, or claude-worker worker): the first process to start migrates it.',
    );
  }
  if (schema.found > schema.supported) {
    return result(
      'postgres',
      TITLE,
      'fail',
      `${where} has schema version ${schema.found}, newer than this claude-worker knows (${schema.supported})`,
      'Upgrade claude-worker to the version the other nodes run.',
    );
  }
  return result('postgres', TITLE, 'ok', `${where} reachable, schema version ${schema.found} (current)`);
};
