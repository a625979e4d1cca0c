/**
 * Mirrors the readable logs of the tasks a process runs into the store, so
 * any server sharing the database can serve them, whichever node ran the
 * task. The lines of all tasks are gathered and written in one insert per
 * FLUSH_MS at most: agents emit dozens of lines a second each, and on
 * PostgreSQL every statement is a round trip (one insert per task and flush
 * held a node to ~400 no-op tasks/s; see BENCHMARKS.md). A failed write
 * keeps its lines for the next flush, so a database hiccup delays the log
 * instead of cutting holes in it.
 */
import type { NewLogLine, TaskLogLine, TaskStore } from '../store/task-store.js';

const FLUSH_MS = 200;
/** Past this many unwritten lines of one task (a database down, or its disk full, for long) its oldest are dropped; the log file keeps them. */
const MAX_PENDING_LINES = 10_000;

interface PendingLines {
  lines: NewLogLine[];
  dropped: number;
}

export class StoredLogs {
  private pending = new Map<number, PendingLines>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: TaskStore) {}

  push(taskId: number, line: NewLogLine): void {
    let task = this.pending.get(taskId);
    if (!task) this.pending.set(taskId, (task = { lines: [], dropped: 0 }));
    task.lines.push(line);
    keepNewest(task);
    this.flushLater();
  }

  /**
   * Writes every pending line now (one more try for lines a failed flush
   * kept); a task calls it as its run ends, so its log is in the store
   * before its outcome.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // One flush at a time, so batches land in order. Runs ending together
    // chain flushes that find their lines already written by the first.
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private flushLater(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
    // Never what keeps a process alive: a run flushes as it ends, and a
    // retry for a database that stays down must not block an exit.
    this.timer.unref();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.appendLog([...batch].flatMap(([taskId, task]) => linesOf(taskId, task)));
    } catch {
      this.restore(batch);
      this.flushLater();
    }
  }

  /** Puts the lines of a failed write back before any pushed since. */
  private restore(batch: Map<number, PendingLines>): void {
    for (const [taskId, task] of this.pending) {
      const kept = batch.get(taskId);
      if (!kept) {
        batch.set(taskId, task);
        continue;
      }
      kept.lines.push(...task.lines);
      kept.dropped += task.dropped;
      keepNewest(kept);
    }
    this.pending = batch;
  }
}

function linesOf(taskId: number, task: PendingLines): TaskLogLine[] {
  const lines = task.lines.map((line) => ({ taskId, ...line }));
  if (task.dropped > 0) {
    lines.unshift({
      taskId,
      at: task.lines[0]!.at,
      text: `[${task.dropped} log lines were lost while the database could not store them (unreachable, or its disk full)]`,
    });
  }
  return lines;
}

function keepNewest(task: PendingLines): void {
  const excess = task.lines.length - MAX_PENDING_LINES;
  if (excess <= 0) return;
  task.lines.splice(0, excess);
  task.dropped += excess;
}
