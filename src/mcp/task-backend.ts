/**
 * Where the MCP server's tasks go. Proxy: the REST server at
 * CLAUDE_WORKER_SERVER_URL. Standalone: the embedded SQLite store with a
 * runner in this process (zero infrastructure). Both use the same database
 * file by default, so tasks are visible everywhere. Default: proxy when a
 * server answers, else standalone; CLAUDE_WORKER_MODE forces one.
 */
import { ClaudeCodeAgent } from '../agents/claude-code/claude-code-agent.js';
import type { Config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import { TaskLogs } from '../logs/task-logs.js';
import { Runner } from '../runner/runner.js';
import { ClaudeWorkerClient } from '../service/http-client.js';
import { createLocalTaskService } from '../service/local-task-service.js';
import type { TaskService } from '../service/task-service.js';
import { openStore } from '../store/open-store.js';

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
  const client = new ClaudeWorkerClient({ baseUrl: config.serverUrl, token: config.token });
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
  const store = await openStore(config.dbPath);
  const logs = new TaskLogs(config.logDir);
  const runner = new Runner({
    store,
    logs,
    agent: new ClaudeCodeAgent({ executablePath: config.claudeExecutable }),
    config,
    warn: log,
  });
  await runner.start();
  log(`standalone mode: ${config.maxWorkers} workers, database ${config.dbPath}`);
  return {
    mode: 'standalone',
    service: createLocalTaskService({ store, logs, config }),
    async close() {
      await runner.shutdown();
      await store.close();
    },
  };
}
