/** What every MCP tool is built with. */
import type { TaskService } from '../service/task-service.js';
import type { PromptPolicy } from '../core/config.js';

export interface McpToolsOptions {
  service: TaskService;
  policy: PromptPolicy;
  /** Relative working directories resolve against this (the MCP server's cwd). */
  cwd: string;
  /** `standalone` or `proxy`, reported by check_api_health. */
  mode: string;
}
