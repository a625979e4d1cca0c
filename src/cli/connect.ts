/**
 * The CLI's way to a server: always over HTTP through the client, never the
 * database directly. When the server URL is local and nothing answers, the
 * daemon is started on that very host and port (the original's auto-start),
 * so every command and `server start` agree on one server per URL.
 */
import type { Config } from '../core/config.js';
import { ServerUnreachableError } from '../core/errors.js';
import { startDaemon } from '../server/daemon.js';
import { ClaudeWorkerClient } from '../service/http-client.js';
import { shortenHome } from './format.js';
import { isLocalServerUrl, serverAddress } from './server-address.js';

export function createClient(config: Config): ClaudeWorkerClient {
  return new ClaudeWorkerClient({ baseUrl: config.serverUrl, token: config.token, tokenSource: 'CLAUDE_WORKER_TOKEN' });
}

/**
 * A client for a server that answers, starting the local daemon first when
 * needed; says so in one line on `notice` (stderr).
 */
export async function connect(config: Config, notice: (line: string) => void): Promise<ClaudeWorkerClient> {
  const client = createClient(config);
  try {
    await client.health();
    return client;
  } catch (error) {
    if (!(error instanceof ServerUnreachableError) || !isLocalServerUrl(config.serverUrl)) throw error;
  }
  const daemon = await startDaemon(config, serverAddress(config.serverUrl));
  notice(
    `Started claude-worker server at ${config.serverUrl} (pid ${daemon.pid}, log ${shortenHome(daemon.logFile)})`,
  );
  return client;
}
