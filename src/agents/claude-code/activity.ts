/** Turns protocol messages into one readable line each, for the summary log and `last_action_cache`. */
import { relative, isAbsolute } from 'node:path';
import type { AgentActivity } from '../agent.js';
import { contentBlocks, resultText, type ClaudeMessage, type ContentBlock } from './messages.js';

const MAX_TEXT = 200;

export function describeMessage(message: ClaudeMessage, cwd: string): AgentActivity[] {
  switch (message.type) {
    case 'system':
      if (message.subtype === 'api_retry') {
        return [
          {
            line: `[retry] API request failed (${message.error_status ?? 'no response'}); attempt ${message.attempt ?? '?'} of ${message.max_retries ?? '?'}`,
          },
        ];
      }
      if (message.subtype !== 'init') return [];
      return [
        {
          line: `[init] model=${message.model ?? '?'}, permission=${message.permissionMode ?? '?'}, credentials=${message.apiKeySource ?? '?'}`,
          ...(message.session_id ? { sessionId: message.session_id } : {}),
          ...(message.apiKeySource ? { apiKeySource: message.apiKeySource } : {}),
        },
      ];
    case 'assistant':
      return contentBlocks(message).flatMap((block) => describeBlock(block, cwd));
    case 'result':
      return [{ line: `[result] ${describeResult(message)}` }];
    case 'rate_limit_event':
      return describeRateLimit(message);
    default:
      return [];
  }
}

/** Only news worth a line: a limit that rejected requests, or one that is near. */
function describeRateLimit(message: ClaudeMessage): AgentActivity[] {
  const info = message.rate_limit_info;
  if (!info || (info.status !== 'rejected' && info.status !== 'allowed_warning')) return [];
  const which = info.rateLimitType ? ` (${info.rateLimitType})` : '';
  const reset = typeof info.resetsAt === 'number' ? `; resets at ${new Date(info.resetsAt * 1000).toISOString()}` : '';
  const what = info.status === 'rejected' ? 'usage limit reached' : 'usage limit nearly reached';
  return [{ line: `[limit] ${what}${which}${reset}` }];
}

function describeResult(result: ClaudeMessage): string {
  const turns = result.num_turns === undefined ? '' : ` in ${result.num_turns} turn${result.num_turns === 1 ? '' : 's'}`;
  const cost = result.total_cost_usd === undefined ? '' : `, $${result.total_cost_usd.toFixed(4)}`;
  if (result.subtype === 'success' && result.is_error !== true) return `success${turns}${cost}`;
  // `success` flagged is_error is an API or authentication failure, not a success.
  const label = result.subtype === 'success' || !result.subtype ? 'error' : result.subtype;
  const text = resultText(result);
  return `${label}${turns}${cost}${text ? `: ${truncate(text)}` : ''}`;
}

function describeBlock(block: ContentBlock, cwd: string): AgentActivity[] {
  if (block.type === 'text' && block.text?.trim()) return [{ line: `[assistant] ${truncate(block.text.trim())}` }];
  if (block.type !== 'tool_use' || !block.name) return [];
  const action = `[${block.name}] ${toolTarget(block.name, block.input ?? {}, cwd)}`.trimEnd();
  return [{ line: action, lastAction: action }];
}

function toolTarget(tool: string, input: Record<string, unknown>, cwd: string): string {
  const str = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : undefined);
  const path = str('file_path') ?? str('notebook_path') ?? str('path');
  if (path && ['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'LS'].includes(tool)) return shortPath(path, cwd);
  if (tool === 'Bash') return truncate((str('command') ?? '').split('\n')[0] ?? '');
  if (tool === 'Glob' || tool === 'Grep') return str('pattern') ?? '';
  if (tool === 'WebFetch') return str('url') ?? '';
  if (tool === 'WebSearch') return str('query') ?? '';
  if (tool === 'Task' || tool === 'Agent') return truncate(str('description') ?? '');
  return truncate(JSON.stringify(input));
}

function shortPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}
