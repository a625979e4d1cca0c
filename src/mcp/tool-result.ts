/**
 * Tool results: structured content plus the same JSON as text (for clients
 * that only read text), and every failure as an `isError` result the planner
 * can read and act on, never a crash or a protocol error.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { ClaudeWorkerError, ValidationError } from '../core/errors.js';
import { PromptPolicyError } from './prompt-policy.js';

export function toolSuccess<T extends Record<string, unknown>>(structured: T): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }],
    structuredContent: structured,
  };
}

export function toolFailure(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: describeFailure(error) }, null, 2) }] };
}

function describeFailure(error: unknown): Record<string, unknown> {
  if (error instanceof PromptPolicyError) {
    return {
      code: error.code,
      message: `The task was not created: ${error.problems.length} problem(s) to fix, listed below. Fix all of them and call create_task again.`,
      problems: error.problems,
    };
  }
  if (error instanceof ValidationError) return { ...error.toJSON() };
  if (error instanceof ClaudeWorkerError) return error.toJSON();
  // An unexpected failure: still an answer the planner can read; the stack goes to stderr.
  process.stderr.write(`claude-worker mcp: unexpected tool failure: ${error instanceof Error ? error.stack : String(error)}\n`);
  return { code: 'server_error', message: error instanceof Error ? error.message : String(error) };
}

/** Runs a tool body, turning any thrown error into an `isError` result. */
export async function runTool(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolFailure(error);
  }
}
