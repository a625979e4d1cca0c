/** What the store reads for a usage report (see sql/usage.ts). */
import type { UsageFigures } from '../core/usage.js';

/** The tasks of one UTC day (`YYYY-MM-DD`) that asked for one model (null: the agent's default). */
export interface UsageRow extends UsageFigures {
  day: string;
  model: string | null;
}
