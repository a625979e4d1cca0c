/**
 * Group commit of completions: the runs that end in the same turn of the
 * event loop, or while the previous group is being written, are completed
 * together, in one statement on PostgreSQL and in one transaction (one
 * fsync) on SQLite. Each is still fenced by its own lease, and each caller
 * gets its own answer. With many short tasks ending at once, one write per
 * task bound a node (a round trip each on PostgreSQL, an fsync each on
 * SQLite). A group is written `gatherMs` after its first completion (0:
 * on the next turn of the event loop), so a lone task waits for hardly
 * anyone.
 */
import type { CompletedRun, Completion } from './store-operations.js';

/** Completions per write at most, so that one statement stays small. */
const MAX_GROUP = 64;

type WriteGroup = (completions: readonly Completion[]) => Promise<(CompletedRun | null)[]>;

interface Waiter {
  completion: Completion;
  resolve: (run: CompletedRun | null) => void;
  reject: (error: unknown) => void;
}

export class CompletionGroups {
  private waiting: Waiter[] = [];
  /** A write is scheduled or under way: it takes whatever is waiting once it gets there. */
  private busy = false;

  constructor(
    private readonly writeGroup: WriteGroup,
    private readonly gatherMs: number,
  ) {}

  /** Completes the run with the next group; null when its lease no longer owned the task. */
  complete(completion: Completion): Promise<CompletedRun | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ completion, resolve, reject });
      if (this.busy) return;
      this.busy = true;
      if (this.gatherMs > 0) setTimeout(() => void this.writeWaiting(), this.gatherMs);
      else setImmediate(() => void this.writeWaiting());
    });
  }

  private async writeWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP);
      try {
        const runs = await this.writeGroup(group.map((waiter) => waiter.completion));
        group.forEach((waiter, index) => waiter.resolve(runs[index] ?? null));
      } catch (error) {
        // Each caller tries again on its own, as after any failed write; the
        // fence makes a repeat of a completion that went through change nothing.
        for (const waiter of group) waiter.reject(error);
      }
    }
    this.busy = false;
  }
}
