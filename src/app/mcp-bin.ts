#!/usr/bin/env node
/** The `claude-worker-mcp` command: the same as `claude-worker mcp`, for MCP client configs. */
import { describeError } from './report-error.js';
import { runMcpServer } from './serve-mcp.js';

try {
  await runMcpServer();
} catch (error) {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = 1;
}
