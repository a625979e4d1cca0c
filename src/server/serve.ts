/**
 * `claude-worker server start --foreground`: one process that recovers what a
 * previous server left behind, runs tasks and serves the REST API, until
 * SIGTERM or SIGINT stops it gracefully (a second signal exits at once).
 */
import type { AddressInfo } from 'node:net';
import { refusesRootBypass } from '../agents/claude-code/credentials.js';
import { ROOT_BYPASS_ADVICE } from '../agents/claude-code/outcome.js';
import { describeDatabase, type Config } from '../core/config.js';
import { processStartTime } from '../host/identity.js';
import { waitForStopSignal } from '../host/stop-signal.js';
import { startLocalEngine } from '../service/local-engine.js';
import { parsePromptPolicy } from '../mcp/prompt-policy.js';
import { VERSION } from '../version.js';
import { buildApp } from './app.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { allowedHostsFor, assertSafeBind } from './security.js';

export interface ListenOptions {
  host: string;
  port: number;
  /** Tasks run at once in this process; 0 (`--no-worker`): none, the API only. */
  workers: number;
}

export async function runServer(base: Config, listen: ListenOptions): Promise<void> {
  assertSafeBind(listen.host, base.token);
  const config: Config = { ...base, maxWorkers: listen.workers };
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} claude-worker: ${line}\n`);
  if (refusesRootBypass(process.getuid?.(), config.permissionMode, process.env)) log(`warning: ${ROOT_BYPASS_ADVICE}`);

  // Recover before answering: once /health answers, every orphan is handled.
  const engine = await startLocalEngine(config, log);
  const app = buildApp(engine.service, {
    token: config.token,
    allowedHosts: allowedHostsFor(listen.host, config.allowedHosts),
    version: VERSION,
    logToStderr: true,
    mcp: { policy: parsePromptPolicy(process.env.CLAUDE_WORKER_PROMPT_POLICY), cwd: process.cwd() },
  });
  try {
    await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    // A server that cannot listen (port taken) must not stay behind as a headless runner.
    await engine.stop();
    throw error;
  }
  // The bound port, which differs from the requested one when that was 0.
  const { port } = app.server.address() as AddressInfo;
  const hostForUrl = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const url = `http://${hostForUrl}:${port}`;
  const drainTimeoutSeconds = config.maxWorkers > 0 ? config.drainTimeoutSeconds : 0;
  writePidFile(config.home, {
    pid: process.pid,
    proc_start_time: processStartTime(process.pid),
    url,
    host: listen.host,
    port,
    started_at: new Date().toISOString(),
    drain_timeout_seconds: drainTimeoutSeconds,
  });
  const runs = config.maxWorkers > 0 ? `${config.maxWorkers} workers` : 'no worker: tasks run on `worker` nodes';
  log(`listening on ${url} (pid ${process.pid}, ${runs}, database ${describeDatabase(config.dbPath)})`);

  await waitForStopSignal(log, drainTimeoutSeconds);
  await app.close();
  await engine.stop();
  removePidFile(config.home, process.pid);
  log('stopped');
}
