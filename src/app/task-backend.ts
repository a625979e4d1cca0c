/**
 * Where the MCP server's tasks go. Proxy: the REST server at
 * CLAUDE_WORKER_SERVER_URL. Standalone: the embedded SQLite store with a
 * runner in this process (zero infrastructure). Both use the same database
 * file by default, so tasks are visible everywhere. Default: proxy when a
 * server answers, else standalone; CLAUDE_WORKER_MODE forces one.
 */
import { ClaudeWorkerClient } from '../client/http-client.js';
import { describeDatabase, type Config, type McpMode } from '../core/config.js';
import { startLocalEngine } from './local-engine.js';
import type { TaskService } from '../service/task-service.js';

/** A health check that finds no server should not hold up an MCP client's start: loopback answers in milliseconds. */
const PROBE_TIMEOUT_MS = 2000;

export interface TaskBackend {
  mode: McpMode;
  service: TaskService;
  /** Stops what this process runs (standalone: the runner hands running tasks back to the queue). */
  close(): Promise<void>;
}

export async function openTaskBackend(config: Config, log: (line: string) => void): Promise<TaskBackend> {
  const client = new ClaudeWorkerClient({ baseUrl: config.serverUrl, token: config.token, tokenSource: 'CLAUDE_WORKER_TOKEN' });
  const mode = config.mcpMode ?? ((await answers(config)) ? 'proxy' : 'standalone');
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
  log(`standalone mode: ${config.concurrency} tasks at a time, database ${describeDatabase(config.dbPath)}`);
  // Before the first request: a planner's first create_task would otherwise wait for the Agent SDK to load.
  await engine.warmUp();
  return { mode: 'standalone', service: engine.service, close: () => engine.stop() };
}
