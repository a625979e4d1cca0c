/** Summaries of repeated measurements: the median and the spread around it. */

export interface Summary {
  median: number;
  /** The 10th and 90th percentiles: the spread without the single worst outlier. */
  p10: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  runs: number;
}

/** Nearest-rank percentile of `samples` (0 < p <= 100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    median: percentile(samples, 50),
    p10: percentile(samples, 10),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    min: Math.min(...samples),
    max: Math.max(...samples),
    runs: samples.length,
  };
}

/** Runs `measure` `runs` times, one after another, and summarizes what it returned. */
export async function repeat(runs: number, measure: (run: number) => Promise<number>): Promise<Summary> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await measure(run));
  return summarize(samples);
}
