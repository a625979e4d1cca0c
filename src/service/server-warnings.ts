/**
 * What a server knows when it starts that will make its tasks fail. They go
 * to its log and to /health, so the CLI that started it (or submits to it)
 * can tell the user, who would otherwise learn it only from a failed task.
 */
import { refusesRootBypass } from '../agents/claude-code/credentials.js';
import { ROOT_BYPASS_ADVICE } from '../agents/claude-code/outcome.js';
import type { Config } from '../core/config.js';
import type { ServerWarning } from '../core/schemas.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Codes are the failure codes of the tasks they predict, so a client can tell which tasks a warning is about. */
export function serverWarnings(
  config: Pick<Config, 'concurrency' | 'permissionMode'>,
  env: Env,
  uid: number | undefined,
): ServerWarning[] {
  // A server that runs no task (--no-worker) predicts nothing: its workers run them.
  if (config.concurrency === 0) return [];
  const warnings: ServerWarning[] = [];
  if (refusesRootBypass(uid, config.permissionMode, env)) {
    warnings.push({
      code: 'root_bypass_refused',
      message: `Tasks in permission mode bypassPermissions (this server's default) will fail: ${ROOT_BYPASS_ADVICE}`,
    });
  }
  return warnings;
}
