/**
 * Everything that serves tasks in this process: the store named by the
 * config, the runner (recovery first, then claims) unless `concurrency` is 0
 * (an API-only server: tasks run on `worker` nodes), the retention sweep,
 * the webhook sender, and the local TaskService over them. The REST server, `claude-worker
 * worker` and the standalone MCP server each start one.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClaudeCodeAgent } from '../agents/claude-code/claude-code-agent.js';
import { isPostgresUrl, type Config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import type { ServerWarning } from '../core/schemas.js';
import { TaskLogs } from '../logs/task-logs.js';
import { Runner } from '../runner/runner.js';
import { openStore } from '../store/open-store.js';
import { createLocalTaskService } from '../service/local-task-service.js';
import { createMetricsExporter, type MetricsExporter } from '../service/metrics/metrics-exporter.js';
import { RetentionSweeper, retentionPolicy } from '../service/retention.js';
import { serverWarnings } from '../service/server-warnings.js';
import type { TaskService } from '../service/task-service.js';
import { WebhookSender } from '../service/webhook-sender.js';

export interface LocalEngine {
  service: TaskService;
  /** What this process's environment will make its tasks fail with (also in the service's health). */
  warnings: ServerWarning[];
  /** The Prometheus metrics of the whole database (every node's tasks and workers). */
  metrics: MetricsExporter;
  /** Loads what this process's first task needs (see Agent.warmUp): call it once the process serves. */
  warmUp(): Promise<void>;
  /**
   * Stops the runner: it claims nothing more, lets running tasks finish for
   * up to `drainTimeoutSeconds`, then releases the rest to the queue; then
   * closes the store.
   */
  stop(): Promise<void>;
}

export async function startLocalEngine(config: Config, warn: (line: string) => void): Promise<LocalEngine> {
  checkDatabaseDirectory(config);
  const store = await openStore(config.dbPath, { warn });
  const logs = new TaskLogs(config.logDir, store);
  const agent =
    config.concurrency > 0
      ? new ClaudeCodeAgent({
          executablePath: config.claudeExecutable,
          // More spares than tasks that can run at once would only wait.
          warmAgents: Math.min(config.warmAgents, config.concurrency),
          warn,
        })
      : null;
  const runner = agent ? new Runner({ store, logs, agent, config, warn }) : null;
  try {
    await runner?.start();
  } catch (error) {
    await store.close();
    throw error;
  }
  // Agents run in this process's environment, so this is the one to judge.
  const warnings = serverWarnings(config, process.env, process.getuid?.());
  const policy = retentionPolicy(config);
  const retention = policy ? new RetentionSweeper(store, logs, policy, warn) : null;
  retention?.start();
  const webhooks = new WebhookSender({
    store,
    url: config.webhookUrl,
    secret: config.webhookSecret,
    retryMs: config.webhookRetryMs,
    warn,
  });
  webhooks.start();
  return {
    service: createLocalTaskService({ store, logs, config, warnings }),
    warnings,
    metrics: createMetricsExporter(store),
    warmUp: async () => agent?.warmUp(),
    async stop() {
      await runner?.shutdown({ graceMs: config.drainTimeoutSeconds * 1000 });
      await retention?.stop();
      await webhooks.stop();
      await store.close();
    },
  };
}

/**
 * A SQLite file outside the home must be in a directory that exists: a
 * mistyped `--db` would otherwise create directories and an empty database,
 * and the node would sit idle on it. The home is ours, and is created.
 */
function checkDatabaseDirectory(config: Pick<Config, 'dbPath' | 'home'>): void {
  if (isPostgresUrl(config.dbPath)) return;
  const directory = dirname(config.dbPath);
  if (directory === config.home || existsSync(directory)) return;
  throw new ValidationError([
    {
      field: 'db',
      message:
        `the directory of the SQLite file ${config.dbPath} does not exist (--db or CLAUDE_WORKER_DB). ` +
        `Fix the path, or create the directory first (mkdir -p ${directory}).`,
    },
  ]);
}
