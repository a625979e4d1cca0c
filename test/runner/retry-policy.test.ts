import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../src/agents/agent.js';
import { backoffMs, limitDelayMs, retryDelayMs } from '../../src/runner/retry-policy.js';

const BACKOFFS = { retryBaseMs: 10_000, limitBaseMs: 30_000 };
const transient: AgentRunResult = {
  outcome: 'failed',
  code: 'api_unavailable',
  message: 'API Error: 529 Overloaded',
  summary: null,
  stats: {},
  transient: true,
};

describe('backoff', () => {
  it('doubles from the base with each step, up to the cap, and jitters down to half', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((step) => backoffMs(30_000, step, 15 * 60_000, top))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30_000, 10, 15 * 60_000, top)).toBe(15 * 60_000);
    expect(backoffMs(30_000, 1, 15 * 60_000, () => 0)).toBe(15_000);
  });

  it('retries only transient failures, while attempts are left', () => {
    expect(retryDelayMs(transient, 1, 3, BACKOFFS)).toBeGreaterThanOrEqual(5_000);
    expect(retryDelayMs(transient, 2, 3, BACKOFFS)).toBeGreaterThanOrEqual(10_000);
    expect(retryDelayMs(transient, 3, 3, BACKOFFS)).toBeNull();
    expect(retryDelayMs({ ...transient, code: 'auth_failed', transient: undefined }, 1, 3, BACKOFFS)).toBeNull();
    expect(retryDelayMs({ outcome: 'completed', summary: 'ok', stats: {} as never }, 1, 3, BACKOFFS)).toBeNull();
  });

  it('waits for a usage limit until its reset, or by the hits so far when it names none', () => {
    expect(limitDelayMs(1_000_000 + 7_200_000, 0, BACKOFFS, 1_000_000)).toBe(7_200_000);
    expect(limitDelayMs(500, 0, BACKOFFS, 1_000)).toBe(0);
    const third = limitDelayMs(null, 2, BACKOFFS);
    expect(third).toBeGreaterThanOrEqual(60_000);
    expect(third).toBeLessThanOrEqual(120_000);
  });
});
