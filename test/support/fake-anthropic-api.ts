/**
 * A loopback stand-in for the Anthropic Messages API, so the REAL Claude Code
 * binary runs its real agent loop, tools and exit codes offline.
 *
 * Script: when the conversation has no tool result yet and the prompt holds a
 * `[write:<path>]` marker, the model answers with a Write tool use for that
 * path (relative paths resolve against the working directory Claude Code
 * describes in the request); otherwise it answers with `replyText`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isAbsolute, join } from 'node:path';

export interface FakeApiOptions {
  /** Answer x-api-key requests with 401, while accepting `Authorization: Bearer` (an OAuth login). */
  rejectApiKey?: boolean;
  /** Answer every request with 401. */
  rejectAll?: boolean;
  /** Always answer with a tool use (to run into max_turns). */
  alwaysToolUse?: boolean;
  /** Never answer (to exercise timeouts and cancel). */
  hang?: boolean;
  replyText?: string;
}

export interface RecordedRequest {
  path: string;
  apiKey: string | undefined;
  authorization: string | undefined;
  body: MessagesBody | null;
}

interface MessagesBody {
  model?: string;
  stream?: boolean;
  system?: string | { text?: string }[];
  tools?: { name: string }[];
  messages?: { role: string; content: string | { type: string; text?: string }[] }[];
}

export interface FakeAnthropicApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeAnthropicApi(options: FakeApiOptions = {}): Promise<FakeAnthropicApi> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const recorded: RecordedRequest = {
      path: req.url ?? '',
      apiKey: header(req, 'x-api-key'),
      authorization: header(req, 'authorization'),
      body,
    };
    requests.push(recorded);
    if (!req.url?.startsWith('/v1/messages')) return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not found' } });
    if (options.rejectAll || (options.rejectApiKey && recorded.apiKey)) {
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    if (req.url.startsWith('/v1/messages/count_tokens')) return sendJson(res, 200, { input_tokens: 42 });
    if (options.hang) {
      hanging.add(res);
      return;
    }
    let reply: Reply;
    try {
      reply = decideReply(body ?? {}, options);
    } catch (error) {
      // Answer (never leave Claude Code waiting) so a broken script fails its test at once.
      return sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: String(error) } });
    }
    if (body?.stream) streamReply(res, body.model ?? 'claude-sonnet-4-5', reply);
    else sendJson(res, 200, fullMessage(body?.model ?? 'claude-sonnet-4-5', reply));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Reply = { kind: 'text'; text: string } | { kind: 'tool_use'; name: string; input: Record<string, unknown> };

function decideReply(body: MessagesBody, options: FakeApiOptions): Reply {
  const messages = body.messages ?? [];
  const texts = messages.flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((c) => c.text ?? '')));
  const hasToolResult = messages.some((m) => typeof m.content !== 'string' && m.content.some((c) => c.type === 'tool_result'));
  const canWrite = (body.tools ?? []).some((t) => t.name === 'Write');
  if (options.alwaysToolUse && canWrite) {
    return { kind: 'tool_use', name: 'Write', input: { file_path: join(workingDirectory(body), `turn-${messages.length}.txt`), content: 'again' } };
  }
  const marker = texts.join('\n').match(/\[write:([^\]]+)\]/);
  if (marker && canWrite && !hasToolResult) {
    const target = marker[1]!;
    const path = isAbsolute(target) ? target : join(workingDirectory(body), target);
    return { kind: 'tool_use', name: 'Write', input: { file_path: path, content: 'written by the agent\n' } };
  }
  return { kind: 'text', text: options.replyText ?? 'Done. The task is complete.' };
}

/** Claude Code describes its environment, working directory included, in the request. */
function workingDirectory(body: MessagesBody): string {
  const match = JSON.stringify(body).match(/Primary working directory: ([^\\"]+)/);
  if (!match) throw new Error('the request names no working directory');
  return match[1]!.trim();
}

function streamReply(res: ServerResponse, model: string, reply: Reply): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', {
    message: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 50, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
  if (reply.kind === 'text') {
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text } });
  } else {
    event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: `toolu_${Date.now()}`, name: reply.name, input: {} } });
    event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) } });
  }
  event('content_block_stop', { index: 0 });
  event('message_delta', {
    delta: { stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: { output_tokens: 12 },
  });
  event('message_stop', {});
  res.end();
}

function fullMessage(model: string, reply: Reply): object {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: reply.kind === 'text' ? [{ type: 'text', text: reply.text }] : [{ type: 'tool_use', id: 'toolu_1', name: reply.name, input: reply.input }],
    stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 50, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: IncomingMessage): Promise<MessagesBody | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesBody;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
