/**
 * Mirrors a task's readable log into the store, so any server sharing the
 * database can serve it, whichever node ran the task. Lines are batched (one
 * insert per FLUSH_MS at most) because an agent can emit dozens of lines a
 * second; a failed write keeps its lines for the next flush, so a database
 * hiccup delays the log instead of cutting holes in it.
 */
import type { NewLogLine, TaskStore } from '../store/task-store.js';

const FLUSH_MS = 200;
/** Past this many unwritten lines (a database down for long) the oldest are dropped; the log file keeps them. */
const MAX_PENDING_LINES = 10_000;

export class StoredLog {
  private pending: NewLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly store: TaskStore,
    private readonly taskId: number,
  ) {}

  push(line: NewLogLine): void {
    this.pending.push(line);
    if (this.pending.length > MAX_PENDING_LINES) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, FLUSH_MS);
  }

  /** Writes what is pending (one more try for lines a failed flush kept). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** One flush at a time, so batches land in order. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    if (this.dropped > 0) {
      batch.unshift({ at: batch[0]!.at, text: `[${this.dropped} log lines were lost while the database was unreachable]` });
      this.dropped = 0;
    }
    this.pending = [];
    try {
      await this.store.appendLog(this.taskId, batch);
    } catch {
      this.pending = [...batch, ...this.pending];
    }
  }
}
