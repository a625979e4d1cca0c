/** What every doctor check gets and what it reports. */
import type { Config } from '../../core/config.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** `skip`: not relevant to this configuration (e.g. PostgreSQL when SQLite is used). */
export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable, for programs reading `--json`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do about it; only when the check failed. */
  fix?: string;
}

export interface DoctorContext {
  config: Config;
  env: Env;
  /** Undefined where the platform has no user ids. */
  uid: number | undefined;
  /** The version of this claude-worker, which the server should match. */
  version: string;
}

export type Check = (context: DoctorContext) => Promise<CheckResult | CheckResult[]>;

/** A result, with the fix only when there is something to fix. */
export function result(id: string, title: string, status: CheckStatus, detail: string, fix?: string): CheckResult {
  return status !== 'fail' || fix === undefined ? { id, title, status, detail } : { id, title, status, detail, fix };
}
