/** Adding tasks, with idempotency keys. */
import type Database from 'better-sqlite3';
import type { EnqueueResult, EnqueueSpec } from '../task-store.js';
import { toRecord, type TaskRow } from './row.js';

export function enqueueOperation(db: Database.Database) {
  const findByKey = db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE idempotency_key = ?');
  const insert = db.prepare<Record<string, unknown>, TaskRow>(`
    INSERT INTO tasks (status, execution_prompt, working_directory, system_prompt, model, permission_mode,
                       max_turns, timeout_seconds, idempotency_key, created_at, run_at, max_attempts)
    VALUES ('pending', @execution_prompt, @working_directory, @system_prompt, @model, @permission_mode,
            @max_turns, @timeout_seconds, @idempotency_key, @now, @now, @max_attempts)
    RETURNING *`);
  // IMMEDIATE: two processes enqueueing the same key must not both miss the lookup.
  const run = db.transaction((spec: EnqueueSpec, now: number): EnqueueResult => {
    const existing = spec.idempotency_key === null ? undefined : findByKey.get(spec.idempotency_key);
    if (existing) return { task: toRecord(existing), deduplicated: true };
    return { task: toRecord(insert.get({ ...spec, now })!), deduplicated: false };
  });
  return (spec: EnqueueSpec, now: number): EnqueueResult => run.immediate(spec, now);
}
