/**
 * The few fields of Claude Code's stream-json messages we rely on. New frame
 * types appear with every release, so everything else is ignored, never
 * rejected.
 */
export interface ContentBlock {
  type: string;
  text?: string;
  name?: string;
  input?: Record<string, unknown>;
}

export interface ClaudeMessage {
  type: string;
  subtype?: string;
  session_id?: string;
  // system/init
  apiKeySource?: string;
  model?: string;
  permissionMode?: string;
  // assistant / user
  message?: { content?: ContentBlock[] | string };
  error?: string;
  parent_tool_use_id?: string | null;
  // result
  is_error?: boolean;
  result?: string;
  errors?: string[];
  total_cost_usd?: number;
  /** Token counts plus nested details (server tool use, cache breakdown) we do not keep. */
  usage?: Record<string, unknown>;
  num_turns?: number;
  duration_ms?: number;
  api_error_status?: number | null;
  /** What the API error was, e.g. `usage_limit_reached`, `connection_failed`. */
  api_error?: string;
  // rate_limit_event
  rate_limit_info?: { status?: string; resetsAt?: number; rateLimitType?: string };
  // system/api_retry
  attempt?: number;
  max_retries?: number;
  error_status?: number | null;
}

export function asClaudeMessage(value: unknown): ClaudeMessage | null {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
    ? (value as ClaudeMessage)
    : null;
}

export function contentBlocks(message: ClaudeMessage): ContentBlock[] {
  const content = message.message?.content;
  return Array.isArray(content) ? content : [];
}

/** What a result reported: its text and its errors, each once. */
export function resultText(result: ClaudeMessage): string {
  return [...new Set([result.result, ...(result.errors ?? [])].filter(Boolean))].join('; ');
}
