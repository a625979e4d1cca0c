/**
 * Everything that runs tasks in this process: the store named by the config,
 * the runner (recovery first, then claims) and the local TaskService over
 * them. The REST server and the standalone MCP server both start one.
 */
import { ClaudeCodeAgent } from '../agents/claude-code/claude-code-agent.js';
import type { Config } from '../core/config.js';
import { TaskLogs } from '../logs/task-logs.js';
import { Runner } from '../runner/runner.js';
import { openStore } from '../store/open-store.js';
import { createLocalTaskService } from './local-task-service.js';
import type { TaskService } from './task-service.js';

export interface LocalEngine {
  service: TaskService;
  runner: Runner;
  /** Stops the runner (running tasks go back to the queue) and closes the store. */
  stop(): Promise<void>;
}

export async function startLocalEngine(config: Config, warn: (line: string) => void): Promise<LocalEngine> {
  const store = await openStore(config.dbPath, { warn });
  const logs = new TaskLogs(config.logDir, store);
  const runner = new Runner({
    store,
    logs,
    agent: new ClaudeCodeAgent({ executablePath: config.claudeExecutable }),
    config,
    warn,
  });
  await runner.start();
  return {
    service: createLocalTaskService({ store, logs, config }),
    runner,
    async stop() {
      await runner.shutdown();
      await store.close();
    },
  };
}
