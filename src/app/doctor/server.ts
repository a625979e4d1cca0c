/** The server at CLAUDE_WORKER_SERVER_URL: whether it answers, and whether it runs this version. */
import { isLoopbackHost } from '../../core/config.js';
import { result, type Check } from './check.js';

const HEALTH_TIMEOUT_MS = 5_000;
const TITLE = 'Server';

interface HealthReply {
  service?: unknown;
  version?: unknown;
}

export const checkServer: Check = async ({ config, version }) => {
  const url = config.serverUrl;
  let reply: HealthReply;
  try {
    const response = await fetch(`${url}/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      headers: config.token ? { authorization: `Bearer ${config.token}` } : {},
    });
    reply = (await response.json().catch(() => ({}))) as HealthReply;
  } catch (error) {
    const why = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    if (isLoopbackHost(new URL(url).hostname)) {
      // Not an error: every command starts the local server when none answers.
      return result('server', TITLE, 'ok', `none running at ${url} (${why}); commands start it when needed`);
    }
    return result(
      'server',
      TITLE,
      'fail',
      `cannot reach ${url} (${why})`,
      'Check CLAUDE_WORKER_SERVER_URL, that the server is running there (claude-worker server start --host ... on that machine), ' +
        'and that no firewall is in the way.',
    );
  }
  if (reply.service !== 'claude-worker') {
    return result(
      'server',
      TITLE,
      'fail',
      `${url} answers, but not as a claude-worker server`,
      'Point CLAUDE_WORKER_SERVER_URL at the claude-worker server, or free the port for it.',
    );
  }
  if (reply.version !== version) {
    return result(
      'server',
      TITLE,
      'fail',
      `${url} runs claude-worker ${String(reply.version)}, this command is ${version}`,
      isLoopbackHost(new URL(url).hostname)
        ? 'Restart it with this version: claude-worker server restart'
        : 'Install the same version of claude-worker on the server and here, and restart the server.',
    );
  }
  return result('server', TITLE, 'ok', `${url} answers, version ${version}`);
};
