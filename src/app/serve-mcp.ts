/**
 * `claude-worker mcp` / `claude-worker-mcp`: the MCP server over stdio. Stdout
 * carries protocol messages only; every log line goes to stderr. Ends when
 * the client closes stdin or on SIGTERM/SIGINT, stopping its runner first in
 * standalone mode so running tasks go back to the queue.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { loadConfig } from '../core/config.js';
import { CheckedStdioTransport } from '../mcp/checked-stdio.js';
import { openTaskBackend } from './task-backend.js';
import { createMcpServer } from '../mcp/tools.js';

export async function runMcpServer(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} claude-worker mcp: ${line}\n`);
  const config = loadConfig(env);
  const policy = config.promptPolicy;
  const backend = await openTaskBackend(config, log);
  const cwd = process.cwd();
  const connection = serveStdio(() => createMcpServer({ service: backend.service, policy, cwd, mode: backend.mode }), {
    transport: new CheckedStdioTransport(),
    onerror: (error) => log(`protocol error: ${error.message}`),
  });

  const reason = await new Promise<string>((resolve) => {
    process.stdin.once('end', () => resolve('client closed the connection'));
    process.stdin.once('close', () => resolve('client closed the connection'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${reason}: stopping`);
  await connection.close();
  await backend.close();
  log('stopped');
}
