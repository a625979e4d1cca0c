/**
 * A loopback stand-in for the Anthropic Messages API, so the REAL Claude Code
 * binary runs its real agent loop, tools and exit codes offline. Point Claude
 * Code at it with `realClaudeEnv(api.url, home)` (test/support/agent-env.ts).
 *
 * Script of the "model": when the request offers the Write tool and the
 * latest message with a `[write:<path>]` marker has no tool result after
 * it, it answers with a Write tool use of that path
 * with the content `WRITTEN_CONTENT` (a relative path resolves against the
 * working directory Claude Code states in the request, "Primary working
 * directory: ..."); likewise a `[bash:<command>]` marker gets a Bash tool
 * use of that command; otherwise it answers with the text of the first
 * `[reply:<text>]` marker in the conversation, else `replyText`. A one-tool task
 * therefore takes exactly two requests and ends `num_turns: 2`. A message with
 * several tool markers gets one tool use per marker, in their order, one
 * request after another.
 *
 * Routes: `POST /v1/messages` (streaming or not), `POST
 * /v1/messages/count_tokens`; anything else is a 404. Every request is
 * recorded in `requests`, in arrival order.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isAbsolute, join } from 'node:path';

/** What the Write tool use writes. */
export const WRITTEN_CONTENT = 'written by the agent\n';
/** The model's final text unless `replyText` says otherwise; it becomes the run's summary. */
export const DEFAULT_REPLY_TEXT = 'Done. The task is complete.';

export interface FakeApiOptions {
  /**
   * Answer `x-api-key` requests with 401 `authentication_error`, while
   * accepting `Authorization: Bearer <token>`, which is how Claude Code sends
   * CLAUDE_CODE_OAUTH_TOKEN (an OAuth login needs no other endpoint when
   * CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1).
   */
  rejectApiKey?: boolean;
  /** Answer every Messages request with 401 `authentication_error`. */
  rejectAll?: boolean;
  /** Answer every turn with a Write tool use (`turn-<n>.txt` in the working directory), to run into max_turns. */
  alwaysToolUse?: boolean;
  /** Never answer a Messages request (timeouts, cancel); `close()` drops the held connections. */
  hang?: boolean;
  /**
   * Answer only this many Messages requests, then hold the rest like `hang`:
   * with 1, a `[write:...]` task writes its file and is then stuck mid-run.
   * `answerMore()` lets more through.
   */
  answerOnly?: number;
  /** Wait this long before answering each Messages request. */
  delayMs?: number;
  /** The model's final text (default `DEFAULT_REPLY_TEXT`). */
  replyText?: string;
  /**
   * Answer every Messages request with a subscription's usage-limit 429 until
   * this time (epoch ms): `retry-after` and `anthropic-ratelimit-unified-status:
   * rejected` with `anthropic-ratelimit-unified-reset` at that time (epoch s).
   * `limitUntil()` opens such a window later.
   */
  usageLimitUntil?: number;
  /** Answer the first `count` Messages requests with this status (500 api_error, 529 overloaded_error, 401 authentication_error). */
  failFirst?: { count: number; status: 401 | 500 | 529 };
}

export interface RecordedRequest {
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** When its headers arrived: epoch ms with sub-millisecond precision (`performance.timeOrigin + performance.now()`). */
  receivedAt: number;
  apiKey: string | undefined;
  authorization: string | undefined;
  body: MessagesBody | null;
}

export interface MessagesBody {
  model?: string;
  stream?: boolean;
  system?: string | { text?: string }[];
  tools?: { name: string }[];
  messages?: { role: string; content: string | { type: string; text?: string; id?: string; tool_use_id?: string }[] }[];
}

export interface FakeAnthropicApi {
  /** `http://127.0.0.1:<port>`, for ANTHROPIC_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Resolves with the first request (already recorded or still to come) that `match` accepts; default: any Messages request. */
  waitForRequest(match?: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** With `answerOnly`: answers `count` more Messages requests, those held first, in arrival order. */
  answerMore(count: number): void;
  /** Opens a usage-limit window (as `usageLimitUntil`) that lasts until `epochMs`. */
  limitUntil(epochMs: number): void;
  /** How many Messages requests were answered with the usage-limit 429. */
  readonly limitedRequests: number;
  close(): Promise<void>;
}

const isMessagesRequest = (request: RecordedRequest) => request.path.startsWith('/v1/messages');

export async function startFakeAnthropicApi(options: FakeApiOptions = {}): Promise<FakeAnthropicApi> {
  const requests: RecordedRequest[] = [];
  const requestWaiters = new Set<{ match: (request: RecordedRequest) => boolean; resolve: (request: RecordedRequest) => void }>();
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let messageRequests = 0;
  let answerLimit = options.answerOnly ?? Infinity;
  /** Requests held by `answerOnly`, by arrival number, until `answerMore` lets them through. */
  const heldForMore = new Map<number, () => void>();
  let limitedUntil = options.usageLimitUntil ?? 0;
  let limitedRequests = 0;
  let failuresLeft = options.failFirst?.count ?? 0;
  const server = createServer(async (req, res) => {
    const receivedAt = performance.timeOrigin + performance.now();
    const body = await readJson(req);
    const recorded: RecordedRequest = {
      path: req.url ?? '',
      receivedAt,
      apiKey: header(req, 'x-api-key'),
      authorization: header(req, 'authorization'),
      body,
    };
    requests.push(recorded);
    for (const waiter of requestWaiters) {
      if (!waiter.match(recorded)) continue;
      requestWaiters.delete(waiter);
      waiter.resolve(recorded);
    }
    if (!req.url?.startsWith('/v1/messages'))
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not found' } });
    if (options.rejectAll || (options.rejectApiKey && recorded.apiKey)) {
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    if (req.url.startsWith('/v1/messages/count_tokens')) return sendJson(res, 200, { input_tokens: 42 });
    if (Date.now() < limitedUntil) {
      limitedRequests += 1;
      return sendUsageLimit(res, limitedUntil);
    }
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return sendFailure(res, options.failFirst!.status);
    }
    messageRequests += 1;
    const arrival = messageRequests;
    if (options.hang) {
      held.add(res);
      return;
    }
    if (arrival > answerLimit) {
      held.add(res);
      await new Promise<void>((resolve) => heldForMore.set(arrival, resolve));
      held.delete(res);
      if (res.destroyed) return;
    }
    if (options.delayMs) {
      held.add(res);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, options.delayMs);
        timers.add(timer);
      });
      held.delete(res);
      if (res.destroyed) return;
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
    waitForRequest(match = isMessagesRequest) {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => requestWaiters.add({ match, resolve }));
    },
    answerMore(count) {
      answerLimit = (answerLimit === Infinity ? messageRequests : answerLimit) + count;
      for (const [arrival, answer] of heldForMore) {
        if (arrival > answerLimit) continue;
        heldForMore.delete(arrival);
        answer();
      }
    },
    limitUntil(epochMs) {
      limitedUntil = epochMs;
    },
    get limitedRequests() {
      return limitedRequests;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Reply = { kind: 'text'; text: string } | { kind: 'tool_use'; name: string; input: Record<string, unknown> };

function decideReply(body: MessagesBody, options: FakeApiOptions): Reply {
  const messages = body.messages ?? [];
  const textOf = (m: (typeof messages)[number]) =>
    typeof m.content === 'string' ? m.content : m.content.map((c) => c.text ?? '').join('\n');
  const texts = messages.map(textOf);
  // A tool marker asks for one tool use after the message that holds it: a resumed
  // conversation whose new message has a marker gets its own tool use.
  const lastMarked = messages.findLastIndex((m) => /\[(write|bash):/.test(textOf(m)));
  const hasToolResult = messages
    .slice(Math.max(lastMarked, 0))
    .some((m) => typeof m.content !== 'string' && m.content.some((c) => c.type === 'tool_result'));
  const toolTexts = lastMarked === -1 ? [] : [texts[lastMarked]!];
  const canWrite = (body.tools ?? []).some((t) => t.name === 'Write');
  if (options.alwaysToolUse && canWrite) {
    return {
      kind: 'tool_use',
      name: 'Write',
      input: { file_path: join(workingDirectory(body), `turn-${messages.length}.txt`), content: 'again' },
    };
  }
  // The markers of the marked message in order: the next one is the first whose tool use has no result yet.
  const toolResults = messages
    .slice(Math.max(lastMarked, 0))
    .flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((c) => c.type === 'tool_result'))).length;
  const markers = [...toolTexts.join('\n').matchAll(/\[(write|bash):([^\]]+)\]/g)];
  const next = markers.length > 1 ? markers[toolResults] : hasToolResult ? undefined : markers[0];
  if (next?.[1] === 'write' && canWrite) {
    const target = next[2]!;
    const path = isAbsolute(target) ? target : join(workingDirectory(body), target);
    return { kind: 'tool_use', name: 'Write', input: { file_path: path, content: WRITTEN_CONTENT } };
  }
  if (next?.[1] === 'bash' && (body.tools ?? []).some((t) => t.name === 'Bash')) {
    return { kind: 'tool_use', name: 'Bash', input: { command: next[2]!, description: 'Run the scripted command' } };
  }
  const scripted = texts.join('\n').match(/\[reply:([^\]]+)\]/)?.[1];
  return { kind: 'text', text: scripted ?? options.replyText ?? DEFAULT_REPLY_TEXT };
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
    event('content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_${Date.now()}`, name: reply.name, input: {} },
    });
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
    content:
      reply.kind === 'text'
        ? [{ type: 'text', text: reply.text }]
        : [{ type: 'tool_use', id: 'toolu_1', name: reply.name, input: reply.input }],
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

/** A subscription's five-hour window is used up: what the API answers until it resets. */
function sendUsageLimit(res: ServerResponse, untilMs: number): void {
  const resetSeconds = Math.ceil(untilMs / 1000);
  res.writeHead(429, {
    'content-type': 'application/json',
    'retry-after': String(Math.max(1, Math.ceil((untilMs - Date.now()) / 1000))),
    'anthropic-ratelimit-unified-status': 'rejected',
    'anthropic-ratelimit-unified-reset': String(resetSeconds),
    'anthropic-ratelimit-unified-5h-status': 'rejected',
    'anthropic-ratelimit-unified-5h-reset': String(resetSeconds),
    'anthropic-ratelimit-unified-representative-claim': 'five_hour',
  });
  res.end(JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Usage limit reached.' } }));
}

const FAILURES = {
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
} as const;

function sendFailure(res: ServerResponse, status: keyof typeof FAILURES): void {
  sendJson(res, status, { type: 'error', error: FAILURES[status] });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
