/**
 * Whether this runner has been able to reach the store, and for how long
 * without a break. The store calls the runner makes on its timers (lease
 * renewals, registry beats, reaper ticks) report here whether they got an
 * answer. A failed call breaks the contact, and so does a silence between
 * two answers longer than `maxSilenceMs` (a call that hung, a process that
 * was suspended): the beats come every heartbeat interval, so a longer
 * silence means the store was out of reach for a while.
 */
export class StoreContact {
  /** When the current unbroken stretch of answers began; -Infinity: since before anything was heard. */
  private since = Number.NEGATIVE_INFINITY;
  private lastAnswerAt: number | null = null;
  private broken = false;

  constructor(
    private readonly maxSilenceMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  answered(): void {
    const now = this.clock();
    const silence = this.lastAnswerAt === null ? 0 : now - this.lastAnswerAt;
    if (this.broken || silence > this.maxSilenceMs) this.since = now;
    this.broken = false;
    this.lastAnswerAt = now;
  }

  failed(): void {
    this.broken = true;
  }

  /** How long the store has answered without a break; 0 while it does not answer. */
  unbrokenForMs(): number {
    return this.broken ? 0 : this.clock() - this.since;
  }
}
