/** `claude-worker server start|stop|restart|status`: the REST server, in the foreground or as a daemon. */
import { Option, type Command } from 'commander';
import { PERMISSION_MODES, type PermissionMode } from '../../core/task.js';
import { bareHost, loadConfig, type Config } from '../../core/config.js';
import { describePause } from '../../core/queue-pause.js';
import { ServerUnreachableError } from '../../core/errors.js';
import type { Health } from '../../core/schemas.js';
import { daemonStartOptions, daemonStatus, startDaemon, stopDaemon } from '../../app/daemon.js';
import type { ServerStartFlags } from '../../app/pid-file.js';
import { integerIn } from '../arguments.js';
import { addRunnerOptions, configWithRunnerFlags, type RunnerFlags } from '../runner-options.js';
import { createClient } from '../connect.js';
import { formatDuration, shortenHome } from '../format.js';
import { notice, print, printJson } from '../io.js';
import { serverAddress } from '../server-address.js';
import { startWarningLines } from '../server-environment.js';

interface StartOptions extends RunnerFlags, ServerStartFlags {
  host?: string;
  port?: number;
  /** False with --no-worker. */
  worker: boolean;
  permissionMode?: PermissionMode;
  foreground?: boolean;
}

export function registerServerCommand(program: Command): void {
  const server = program.command('server').description('Start, stop or check the claude-worker server');

  addRunnerOptions(
    server
      .command('start')
      .description('Start the server (default: a background daemon with a pid file and a log)')
      .option('--host <host>', 'address to bind (default: the host of CLAUDE_WORKER_SERVER_URL, else 127.0.0.1)')
      .option(
        '--port <port>',
        'port to listen on (default: the port of CLAUDE_WORKER_SERVER_URL, else 8000)',
        integerIn(1, 65_535),
      )
      .option('--no-worker', 'serve the API only; tasks run on `claude-worker worker` nodes')
      .addOption(
        new Option(
          '--permission-mode <mode>',
          'Claude Code permission mode for tasks that set none (default: CLAUDE_WORKER_PERMISSION_MODE, else bypassPermissions)',
        ).choices(PERMISSION_MODES),
      )
      .option('--foreground', 'run in this process until SIGTERM or Ctrl-C'),
  ).action(startServer);

  server
    .command('stop')
    .description('Stop the background server; running tasks are released and resume on the next start')
    .action(async () => {
      const stopped = await stopDaemon(loadConfig());
      print(stoppedMessage(stopped));
    });

  server
    .command('restart')
    .description(
      "Stop the background server and start it again with the options it was started with, in this shell's environment",
    )
    .action(async () => {
      const config = loadConfig();
      const recorded = daemonStartOptions(config);
      const stopped = await stopDaemon(config);
      print(stoppedMessage(stopped));
      // The recorded address and flags; everything else comes from this shell, as for `server start`.
      const { host, port, start_flags: flags = {} } = recorded ?? {};
      await startServer({ ...flags, worker: flags.worker ?? true, host, port });
    });

  server
    .command('status')
    .alias('health')
    .description('Check whether the server answers, and what it is doing')
    .option('--json', 'print the health report as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const health = await healthOrNull(config);
      const daemon = await daemonStatus(config);
      if (options.json) {
        const pidFile = daemon === null ? null : { pid: daemon.pid, url: daemon.url, log_file: daemon.logFile };
        printJson({ url: config.serverUrl, healthy: health !== null, health, daemon: pidFile });
      } else print(describeStatus(config, health, daemon));
      if (health === null) process.exitCode = 1;
    });
}

function stoppedMessage(stopped: { pid: number } | null): string {
  return stopped === null ? 'No claude-worker server was running.' : `Stopped claude-worker server (pid ${stopped.pid}).`;
}

/** `server start`, and the start half of `server restart`. */
async function startServer(options: StartOptions): Promise<void> {
  const config = configWithRunnerFlags(options, { permissionMode: options.permissionMode });
  const defaults = serverAddress(config.serverUrl);
  const listen = {
    host: options.host === undefined ? defaults.host : bareHost(options.host),
    port: options.port ?? defaults.port,
    concurrency: options.worker ? config.concurrency : 0,
  };
  if (options.foreground) {
    // Loaded only here: the server pulls in Fastify, SQLite and the Agent SDK, which
    // take ~0.5 s to load, a cost every other command would otherwise pay.
    const { runServer } = await import('../../app/serve.js');
    await runServer(config, listen, startFlags(options));
    return;
  }
  const daemon = await startDaemon(config, listen, startFlags(options));
  print(`claude-worker server running at ${daemon.url} (pid ${daemon.pid}, log ${shortenHome(daemon.logFile)})`);
  for (const line of startWarningLines(daemon.warnings, daemon.pid)) notice(line);
  if (listen.host !== defaults.host || listen.port !== defaults.port) {
    notice(`note: other commands talk to ${config.serverUrl}; set CLAUDE_WORKER_SERVER_URL=${daemon.url} to use this server`);
  }
}

/** The options given besides the address, which the server records for `server restart`. */
function startFlags(options: StartOptions): ServerStartFlags {
  const { worker, permissionMode, db, name, labels, drainTimeout } = options;
  const concurrency = options.concurrency ?? options.workers;
  const given = { worker, concurrency, permissionMode, db, name, labels, drainTimeout };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as ServerStartFlags;
}

async function healthOrNull(config: Config): Promise<Health | null> {
  try {
    return await createClient(config).health();
  } catch (error) {
    if (error instanceof ServerUnreachableError) return null;
    throw error;
  }
}

function describeStatus(config: Config, health: Health | null, daemon: Awaited<ReturnType<typeof daemonStatus>>): string {
  if (health === null) {
    return `No claude-worker server answers at ${config.serverUrl}.\nStart one with: claude-worker server start`;
  }
  const lines = [
    `claude-worker ${health.version} is healthy at ${config.serverUrl}`,
    `  up ${formatDuration(health.uptime_seconds * 1000)}, ${health.running} running, ${health.pending} pending, ${health.max_concurrency} tasks at a time`,
  ];
  if (daemon !== null) lines.push(`  daemon pid ${daemon.pid}, log ${shortenHome(daemon.logFile)}`);
  if (health.paused_until !== null) {
    lines.push(`  ${describePause({ reason: health.pause_reason ?? 'paused', paused_until: health.paused_until })}`);
  }
  const pid = daemon !== null && daemon.url === config.serverUrl ? daemon.pid : null;
  lines.push(...startWarningLines(health.warnings, pid).map((line) => `  ${line}`));
  return lines.join('\n');
}
