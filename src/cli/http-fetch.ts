/**
 * `fetch` over node:http, for the CLI's client. Node.js's own fetch (undici)
 * costs a command more than everything else it loads: on first use it
 * compiles undici and its HTTP parser, measured as the largest part of
 * `claude-worker status` after Node.js's own start (bench/README.md). A CLI
 * process makes a few requests and exits, so it trades undici's connection
 * pool for node:http, which is already part of Node.js's startup snapshot.
 * Only what the client uses is honoured: method, headers, a string body and
 * an abort signal; the body streams, for following logs and events.
 */
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Readable } from 'node:stream';

/** Statuses whose Response may carry no body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export async function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const options: RequestOptions = {
    method: init.method ?? 'GET',
    headers: init.headers as Record<string, string> | undefined,
    ...(init.signal ? { signal: init.signal } : {}),
  };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = request(url, options, resolve);
    outgoing.on('error', reject);
    outgoing.end(typeof init.body === 'string' ? init.body : undefined);
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headersDistinct)) {
    for (const each of value ?? []) headers.append(name, each);
  }
  const status = response.statusCode ?? 0;
  if (NULL_BODY_STATUSES.has(status)) response.resume();
  const body = NULL_BODY_STATUSES.has(status) ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: response.statusMessage ?? '', headers });
}
