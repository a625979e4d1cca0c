/** An MCP client session over stdio, the way a planner's client opens one. */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export interface McpSession {
  call<T = Record<string, unknown>>(tool: string, args: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function openMcpSession(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<McpSession> {
  const client = new Client({ name: 'claude-worker-bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command, args, env, cwd, stderr: 'ignore' }));
  return {
    async call<T>(tool: string, args: Record<string, unknown>): Promise<T> {
      // The blocking alternative holds a call for the whole task: allow it more than the default 60 s.
      const result = await client.callTool({ name: tool, arguments: args }, { timeout: 600_000 });
      if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
      return (result.structuredContent ?? result.content) as T;
    },
    close: () => client.close(),
  };
}
