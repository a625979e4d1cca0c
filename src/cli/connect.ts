/**
 * The CLI's way to a server: always over HTTP through the client, never the
 * database directly. When the server URL is local and nothing answers, the
 * daemon is started on that very host and port (the original's auto-start),
 * so every command and `server start` agree on one server per URL.
 */
import type { Config } from '../core/config.js';
import { ServerUnreachableError } from '../core/errors.js';
import type { ServerWarning } from '../core/schemas.js';
import { startDaemon } from '../app/daemon.js';
import { ClaudeWorkerClient } from '../client/http-client.js';
import { httpFetch } from '../client/http-fetch.js';
import { shortenHome } from './format.js';
import { isLocalServerUrl, serverAddress } from './server-address.js';
import { startWarningLines } from './server-environment.js';

export function createClient(config: Config): ClaudeWorkerClient {
  return new ClaudeWorkerClient({
    baseUrl: config.serverUrl,
    token: config.token,
    tokenSource: 'CLAUDE_WORKER_TOKEN',
    fetch: httpFetch,
  });
}

export interface Connection {
  client: ClaudeWorkerClient;
  /** What the server's environment will make its tasks fail with (see serverWarnings). */
  warnings: ServerWarning[];
  /** Whether this connection started the daemon (and so has already shown its warnings). */
  started: boolean;
}

/**
 * A client for a server that answers, starting the local daemon first when
 * needed (once `beforeStart` has passed); says so on `notice` (stderr),
 * with what the new server warns of.
 */
export async function openConnection(
  config: Config,
  notice: (line: string) => void,
  beforeStart: () => Promise<void> = async () => {},
): Promise<Connection> {
  const client = createClient(config);
  try {
    const { warnings } = await client.health();
    return { client, warnings, started: false };
  } catch (error) {
    if (!(error instanceof ServerUnreachableError) || !isLocalServerUrl(config.serverUrl)) throw error;
  }
  await beforeStart();
  const daemon = await startDaemon(config, serverAddress(config.serverUrl));
  notice(`Started claude-worker server at ${config.serverUrl} (pid ${daemon.pid}, log ${shortenHome(daemon.logFile)})`);
  for (const line of startWarningLines(daemon.warnings, daemon.pid)) notice(line);
  return { client, warnings: daemon.warnings, started: true };
}

/** openConnection for commands that need only the client. */
export async function connect(config: Config, notice: (line: string) => void): Promise<ClaudeWorkerClient> {
  return (await openConnection(config, notice)).client;
}
