/**
 * Where the MCP server's tasks go. Proxy: the REST server at
 * CLAUDE_WORKER_SERVER_URL. Standalone: the embedded SQLite store with a
 * runner in this process (zero infrastructure). Both use the same database
 * file by default, so tasks are visible everywhere. Default: proxy when a
 * server answers, else standalone; CLAUDE_WORKER_MODE forces one.
 */
import { describeDatabase, type Config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import { ClaudeWorkerClient } from '../client/http-client.js';
import { startLocalEngine } from './local-engine.js';
import type { TaskService } from '../service/task-service.js';

export const MCP_MODES = ['standalone', 'proxy'] as const;
export type McpMode = (typeof MCP_MODES)[number];

/** A health check that finds no server should not hold up an MCP client's start: loopback answers in milliseconds. */
const PROBE_TIMEOUT_MS = 2000;

export interface TaskBackend {
  mode: McpMode;
  service: TaskService;
  /** Stops what this process runs (standalone: the runner hands running tasks back to the queue). */
  close(): Promise<void>;
}

export function parseMcpMode(raw: string | undefined): McpMode | null {
  if (raw === undefined || raw === '') return null;
  if ((MCP_MODES as readonly string[]).includes(raw)) return raw as McpMode;
  throw new ValidationError([{ field: 'CLAUDE_WORKER_MODE', message: `must be one of ${MCP_MODES.join(', ')} (got "${raw}")` }]);
}

export async function openTaskBackend(config: Config, forced: McpMode | null, log: (line: string) => void): Promise<TaskBackend> {
  const client = new ClaudeWorkerClient({ baseUrl: config.serverUrl, token: config.token, tokenSource: 'CLAUDE_WORKER_TOKEN' });
  const mode = forced ?? ((await answers(config)) ? 'proxy' : 'standalone');
  if (mode === 'proxy') {
    log(`proxy mode: tasks go to the server at ${config.serverUrl}`);
    return { mode, service: client, close: async () => {} };
  }
  return openStandalone(config, log);
}

async function answers(config: Config): Promise<boolean> {
  const probe = new ClaudeWorkerClient({
    baseUrl: config.serverUrl,
    token: config.token,
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }),
  });
  try {
    await probe.health();
    return true;
  } catch {
    return false;
  }
}

async function openStandalone(config: Config, log: (line: string) => void): Promise<TaskBackend> {
  const engine = await startLocalEngine(config, log);
  log(`standalone mode: ${config.maxWorkers} workers, database ${describeDatabase(config.dbPath)}`);
  return { mode: 'standalone', service: engine.service, close: () => engine.stop() };
}
