/**
 * A `fetch` over node:http, for short-lived processes (the CLI, and the CLI
 * waiting for the daemon it started). Node.js's own fetch costs a
 * command more than everything else it loads: on first use it compiles
 * undici and its HTTP parser (bench/README.md has the figures). A CLI process
 * makes a few requests and exits, so it needs neither undici's connection
 * pool nor its Response: node:http is part of Node.js's startup snapshot.
 * Only what the client uses is honoured: method, headers, a string body and
 * an abort signal; the body streams, for following logs and events.
 */
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { FetchLike, FetchResponse } from './fetch-like.js';

export const httpFetch: FetchLike = async (url, init) => {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
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
  return answer(response);
};

function answer(response: IncomingMessage): FetchResponse {
  const status = response.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get(name) {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    // Made on first use: most replies are read whole, by text().
    get body() {
      return Readable.toWeb(response) as ReadableStream<Uint8Array>;
    },
    text: () => text(response),
  };
}
