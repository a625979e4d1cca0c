/**
 * Records what a running agent is doing (last action, session id,
 * credential) at most once per FLUSH_MS per task, the latest values winning.
 * An agent can report dozens of tool uses a second; a reader polling the task
 * needs the latest one, not every one. Best effort like all progress: the
 * lease heartbeat keeps the task, and the outcome write is what must land.
 */
import type { Lease, TaskProgress, TaskStore } from '../store/task-store.js';

const FLUSH_MS = 250;

export class ProgressRecorder {
  private pending: TaskProgress | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TaskStore,
    private readonly lease: Lease,
  ) {}

  record(progress: TaskProgress): void {
    this.pending = { ...this.pending, ...progress };
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is pending now; resolves once every write so far has been made (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const progress = this.pending;
    this.pending = null;
    if (progress) {
      this.writing = this.writing.then(() => this.store.recordProgress(this.lease, progress).then(ignore, ignore));
    }
    return this.writing;
  }
}

function ignore(): void {}
