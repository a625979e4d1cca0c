/**
 * One server process for a whole test file, whose agents are the REAL Claude
 * Code binary against a loopback API stand-in of its own, with a throwaway
 * home (database, logs, worktrees and Claude Code's config) and
 * bypassPermissions, so `[bash:...]` and `[write:...]` markers run unasked.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClaudeEnv } from './agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type FakeApiOptions } from './fake-anthropic-api.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface RealClaudeServer {
  home: string;
  api: FakeAnthropicApi;
  server: ServerProcess;
  dispose(): Promise<void>;
}

/** `prefix` names the temp home; `workers` is the server's concurrency; `apiOptions` script the stand-in. */
export async function startRealClaudeServer(
  prefix: string,
  workers: number,
  apiOptions: FakeApiOptions = {},
): Promise<RealClaudeServer> {
  const home = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  const api = await startFakeAnthropicApi(apiOptions);
  const server = await startServerProcess(
    {
      ...realClaudeEnv(api.url, home),
      CLAUDE_WORKER_HOME: join(home, 'worker'),
      CLAUDE_WORKER_PERMISSION_MODE: 'bypassPermissions',
    },
    { workers },
  );
  return {
    home,
    api,
    server,
    async dispose() {
      await server.stop();
      await api.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
