/**
 * `claude-worker doctor`: every check that explains a first failure before
 * it happens, each with what to do about it. The checks run one after the
 * other, in the order a newcomer would fix things.
 */
import { result, type Check, type CheckResult, type DoctorContext } from './check.js';
import { checkClaudeCode } from './claude-code.js';
import { checkCredentials } from './credentials.js';
import { checkDiskSpace } from './disk-space.js';
import { checkGit } from './git.js';
import { checkNodeVersion } from './node-version.js';
import { checkPostgres } from './postgres.js';
import { checkRootBypass } from './root-bypass.js';
import { checkServer } from './server.js';
import { checkSqliteWal } from './sqlite-wal.js';
import { checkWritable } from './writable.js';

export type { CheckResult, CheckStatus, DoctorContext } from './check.js';

const CHECKS: readonly Check[] = [
  checkNodeVersion,
  checkClaudeCode,
  checkCredentials,
  checkRootBypass,
  checkWritable,
  checkSqliteWal,
  checkServer,
  checkPostgres,
  checkGit,
  checkDiskSpace,
];

export interface DoctorReport {
  /** True when no check failed. */
  ok: boolean;
  version: string;
  checks: CheckResult[];
}

export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  for (const check of CHECKS) {
    try {
      checks.push(...[await check(context)].flat());
    } catch (error) {
      // A check that cannot run must not hide the others' answers.
      checks.push(result(check.name, check.name, 'fail', `could not be checked: ${(error as Error).message}`));
    }
  }
  return { ok: checks.every((check) => check.status !== 'fail'), version: context.version, checks };
}
