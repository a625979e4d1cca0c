/** How a run ends, as both databases write it (see each database's run-end.ts). */
import type { FailureCode, RunStats, TaskStatus } from '../core/task.js';

export type AttemptOutcome = 'completed' | 'failed' | 'cancelled' | 'lost';

export interface RunEnd {
  status: Exclude<TaskStatus, 'running'>;
  /** A `pending` task may run again this long after now. */
  runAfterMs?: number;
  /** Becomes the task's last error; null clears it; absent keeps the one stored. */
  error?: { code: FailureCode; message: string } | null;
  finalSummary?: string | null;
  stats?: Partial<RunStats>;
  attempt: { outcome: AttemptOutcome; error: string | null };
}
