/** `claude-worker mcp`: the MCP server over stdio (see src/mcp). */
import type { Command } from 'commander';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the MCP tools over stdio (standalone, or a proxy to a running server)')
    .addHelpText(
      'after',
      `
Environment:
  CLAUDE_WORKER_MODE           standalone | proxy (default: proxy when a server answers, else standalone)
  CLAUDE_WORKER_PROMPT_POLICY  strict | lenient (default strict: prompts of 150+ characters naming a path)`,
    )
    .action(async () => {
      // Loaded only here, like the server: the MCP SDK, SQLite and the Agent SDK are slow to load.
      const { runMcpServer } = await import('../../app/serve-mcp.js');
      await runMcpServer();
    });
}
