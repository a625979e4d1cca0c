/**
 * `claude-worker server start --foreground`: one process that recovers what a
 * previous server left behind, runs tasks and serves the REST API, until
 * SIGTERM or SIGINT stops it gracefully (a second signal exits at once).
 */
import type { AddressInfo } from 'node:net';
import { bareHost, describeDatabase, type Config } from '../core/config.js';
import { processStartTime } from '../host/identity.js';
import { waitForStopSignal } from '../host/stop-signal.js';
import { startLocalEngine } from './local-engine.js';
import { VERSION } from '../version.js';
import { buildApp } from '../server/app.js';
import { listenUrl } from '../server/listen-address.js';
import { PortInUseError } from '../server/port-in-use.js';
import { assertNoServerRunning, claimPidFile, removePidFile, type ServerStartFlags } from './pid-file.js';
import { allowedHostsFor, assertSafeBind } from '../server/security.js';

/**
 * How long after listening the Agent SDK starts loading. Its load holds the event loop for
 * 100-150 ms; started at once, it held up the answer to an auto-started server's first request
 * (`claude-worker run` submits as soon as /health answers) by about that much. A task claimed
 * before then loads the SDK itself, which it needs anyway; Node.js loads a module only once.
 */
const WARM_UP_DELAY_MS = 300;

export interface ListenOptions {
  /** An address or name; an IPv6 address with or without brackets. */
  host: string;
  port: number;
  /** Tasks run at once in this process; 0 (`--no-worker`): none, the API only. */
  concurrency: number;
}

/** `flags` are recorded in the pid file, for `server restart`. */
export async function runServer(base: Config, listen: ListenOptions, flags: ServerStartFlags = {}): Promise<void> {
  const host = bareHost(listen.host);
  assertSafeBind(host, base.token);
  // Before recovery: a second server must not touch the first one's tasks, nor its pid file.
  assertNoServerRunning(base.home);
  const config: Config = { ...base, concurrency: listen.concurrency };
  const drainTimeoutSeconds = config.concurrency > 0 ? config.drainTimeoutSeconds : 0;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} claude-worker: ${line}\n`);

  // Recover before answering: once /health answers, every orphan is handled.
  const engine = await startLocalEngine(config, log);
  for (const warning of engine.warnings) log(`warning: ${warning.message}`);
  const app = buildApp(engine.service, {
    token: config.token,
    allowedHosts: allowedHostsFor(host, config.allowedHosts),
    version: VERSION,
    logToStderr: true,
    mcp: { policy: config.promptPolicy, cwd: process.cwd() },
    metrics: engine.metrics,
  });
  let url: string;
  try {
    await app.listen({ host, port: listen.port });
    // The bound port, which differs from the requested one when that was 0.
    const { port } = app.server.address() as AddressInfo;
    url = listenUrl(host, port);
    claimPidFile(config.home, {
      pid: process.pid,
      proc_start_time: processStartTime(process.pid),
      url,
      host,
      port,
      started_at: new Date().toISOString(),
      drain_timeout_seconds: drainTimeoutSeconds,
      start_flags: flags,
    });
  } catch (error) {
    // A server that cannot listen (port taken) or lost the home to another must not stay behind as a headless runner.
    await app.close();
    await engine.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, listen.port);
    throw error;
  }
  const runs = config.concurrency > 0 ? `${config.concurrency} tasks at a time` : 'no worker: tasks run on `worker` nodes';
  log(`listening on ${url} (pid ${process.pid}, ${runs}, database ${describeDatabase(config.dbPath)})`);
  // In the background, once the first requests of an auto-started server are answered (see WARM_UP_DELAY_MS).
  const warmUp = setTimeout(() => void engine.warmUp(), WARM_UP_DELAY_MS);

  await waitForStopSignal(log, drainTimeoutSeconds);
  clearTimeout(warmUp);
  await app.close();
  await engine.stop();
  removePidFile(config.home, process.pid);
  log('stopped');
}
