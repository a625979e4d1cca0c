/** Deleting old terminal tasks in small batches, so a big cleanup never holds the writer for long. */
import type Database from 'better-sqlite3';
import type { RetentionPolicy } from '../task-store.js';

export function pruneOperation(db: Database.Database) {
  const batch = db.prepare(`
    DELETE FROM tasks WHERE id IN (
      SELECT id FROM tasks
       WHERE (status IN ('completed', 'cancelled') AND ended_at < @finishedBefore)
          OR (status = 'failed' AND ended_at < @failedBefore)
       LIMIT @batchSize)`);
  return (policy: RetentionPolicy, batchSize: number, now: number): number => {
    const params = { finishedBefore: now - policy.finishedMaxAgeMs, failedBefore: now - policy.failedMaxAgeMs, batchSize };
    let total = 0;
    for (;;) {
      const deleted = batch.run(params).changes; // attempts go with ON DELETE CASCADE
      total += deleted;
      if (deleted < batchSize) return total;
    }
  };
}
