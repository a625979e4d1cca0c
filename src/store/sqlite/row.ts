/** Mapping between `tasks` rows and TaskRecords, and the SQL fragments every write shares. */
import { changesOf } from '../sql/tasks.js';
import type { TaskRecord } from '../task-store.js';

/** A `tasks` row as SQLite returns it. */
export interface TaskRow extends Omit<TaskRecord, 'usage' | 'required_labels' | 'changes'> {
  changes_files: number | null;
  changes_insertions: number | null;
  changes_deletions: number | null;
  /** JSON text of a TokenUsage. */
  usage: string | null;
  /** JSON text of the Labels. */
  required_labels: string;
  /** Proof of ownership: it never leaves the store inside a TaskRecord, only inside a Lease. */
  lease_token: string | null;
  /** Only the scheduling statements read it. */
  initial_delay: number;
}

export function toTaskRecord(row: TaskRow): TaskRecord {
  const {
    lease_token: _token,
    initial_delay: _delay,
    usage,
    required_labels,
    changes_files: _files,
    changes_insertions: _insertions,
    changes_deletions: _deletions,
    ...fields
  } = row;
  return {
    ...fields,
    changes: changesOf(row),
    usage: usage === null ? null : (JSON.parse(usage) as TaskRecord['usage']),
    required_labels: JSON.parse(required_labels) as TaskRecord['required_labels'],
  };
}

/**
 * Writes what an agent reported. A figure that is absent or null keeps the
 * stored one (a crash report has no cost, but an earlier progress write may
 * have recorded the session id). Bind with `statsParams`.
 */
export const STATS_ASSIGNMENTS = `
  cost_usd = COALESCE(@cost_usd, cost_usd),
  usage = COALESCE(@usage, usage),
  num_turns = COALESCE(@num_turns, num_turns),
  duration_ms = COALESCE(@duration_ms, duration_ms),
  session_id = COALESCE(@session_id, session_id),
  api_key_source = COALESCE(@api_key_source, api_key_source)`;

export { LEASE_CLEARED, leaseParams, OWNED_BY_LEASE } from '../sql/tasks.js';
