/**
 * Whether SQLite can keep a database in WAL mode in a directory: the store
 * needs it (readers and the writer do not block each other), and some file
 * systems (network shares, some container volumes) refuse the shared memory
 * it uses. Tried on a scratch database, never on the real one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Null when WAL works in `dir`, else what SQLite said. */
export async function walProblem(dir: string): Promise<string | null> {
  const scratch = await mkdtemp(join(dir, '.claude-worker-wal-'));
  try {
    const db = new Database(join(scratch, 'probe.db'));
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
      if (mode !== 'wal') return `journal_mode stayed ${mode}`;
      db.exec('CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1)');
      return null;
    } finally {
      db.close();
    }
  } catch (error) {
    return (error as Error).message;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
