/**
 * The server keeps the environment it was started with, so a fix in the
 * user's shell (IS_SANDBOX=1, an API key) reaches it only after a restart.
 * What the CLI says when that environment will make, or made, a task fail.
 */
import type { Config } from '../core/config.js';
import type { ServerWarning } from '../core/schemas.js';
import type { FailureCode, Task } from '../core/task.js';
import { daemonStatus } from '../app/daemon.js';
import { isLocalServerUrl } from './server-address.js';

/** Failures that come from the environment the task's server runs in, not from the task. */
const ENVIRONMENT_FAILURES: ReadonlySet<FailureCode> = new Set(['root_bypass_refused', 'auth_failed']);

/** The pid of this home's daemon when it is the server the CLI talks to; null otherwise (remote, or another home's). */
export async function localDaemonPid(config: Config): Promise<number | null> {
  if (!isLocalServerUrl(config.serverUrl)) return null;
  const daemon = await daemonStatus(config);
  return daemon !== null && daemon.url === config.serverUrl ? daemon.pid : null;
}

export function restartAdvice(pid: number | null): string {
  const how = pid === null ? 'restart the server' : `restart the server (pid ${pid}): claude-worker server restart`;
  return `The server keeps the environment it was started with: after fixing it, ${how}`;
}

/** What a server that just started says will fail, on stderr lines. */
export function startWarningLines(warnings: readonly ServerWarning[], pid: number | null): string[] {
  if (warnings.length === 0) return [];
  return [...warnings.map((warning) => `warning: ${warning.message}`), restartAdvice(pid)];
}

/** The server's warnings that predict how `task` ends: a `root_bypass_refused` warning is about bypassPermissions tasks. */
export function warningsFor(task: Task, warnings: readonly ServerWarning[]): ServerWarning[] {
  return warnings.filter((warning) => warning.code !== 'root_bypass_refused' || task.permission_mode === 'bypassPermissions');
}

/** For a task that failed because of its server's environment: what to do; null for any other task. */
export function failureAdvice(task: Task, pid: number | null): string | null {
  if (task.status !== 'failed' || task.error_code === null || !ENVIRONMENT_FAILURES.has(task.error_code)) return null;
  return restartAdvice(pid);
}
