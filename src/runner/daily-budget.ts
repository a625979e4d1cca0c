/**
 * The daily cap on what all tasks on the database cost
 * (CLAUDE_WORKER_DAILY_BUDGET_USD): once the tasks that ended today (UTC)
 * cost that much, claiming pauses on every runner until the next UTC
 * midnight, as it does for a usage limit. Checked when this runner starts
 * and after each of its tasks ends, before it claims again.
 */
import type { TaskStore } from '../store/task-store.js';

const DAY_MS = 24 * 3600_000;

export class DailyBudget {
  private due = true;

  constructor(
    private readonly store: Pick<TaskStore, 'spentToday' | 'pauseQueue' | 'readQueuePause'>,
    private readonly capUsd: number | null,
  ) {}

  /** A task ended: what was spent changed. */
  spent(): void {
    this.due = this.capUsd !== null;
  }

  /** Pauses the queue when today's spend reached the cap; a no-op unless something was spent since the last check. */
  async check(now: number = Date.now()): Promise<void> {
    if (!this.due || this.capUsd === null) return;
    this.due = false;
    const spent = await this.store.spentToday();
    if (spent < this.capUsd) return;
    const pause = await this.store.readQueuePause();
    const midnight = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    if (pause?.kind === 'daily_budget' && pause.paused_until >= midnight) return;
    await this.store.pauseQueue({
      kind: 'daily_budget',
      reason: `daily budget of $${this.capUsd.toFixed(2)} reached ($${spent.toFixed(2)} spent today, UTC)`,
      delayMs: midnight - now,
    });
  }
}
