/**
 * What following a stream of the server takes, whichever stream it is (a
 * task's log, the event feed): a connection closed on every way out (the
 * end, an error, the caller breaking off), a quiet end when the caller's
 * signal aborts, and failures as the client's typed errors.
 */
import { ClaudeWorkerError, RemoteError, ServerUnreachableError } from '../core/errors.js';
import { errorFromBody, parseJson, type ErrorContext } from './error-body.js';
import type { FetchResponse } from './fetch-like.js';
import { readServerSentEvents, type ServerSentEvent } from './sse.js';

export interface StreamRequest {
  /** Sends the request; the stream is closed by aborting `connection`. */
  open(connection: AbortSignal): Promise<FetchResponse>;
  /** The server, as errors name it. */
  baseUrl: string;
  /** What closed before its end, for the error saying so: "the log of task 3". */
  what: string;
  /** Whom a streamed `error` event is about, for the not-found errors. */
  context: ErrorContext;
  /** The event that ends the stream; none: it ends only when `signal` aborts. */
  endEvent?: string;
}

/** The stream's events, without `error` events (thrown) and without the end event (the iteration ends). */
export async function* followStream(request: StreamRequest, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  if (signal?.aborted) return;
  const connection = new AbortController();
  const onAbort = () => connection.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await request.open(connection.signal);
    for await (const event of readServerSentEvents(response.body!)) {
      if (event.event === request.endEvent) return;
      if (event.event === 'error') {
        throw (
          errorFromBody(undefined, parseJson(event.data), request.context) ?? new RemoteError('server_error', event.data, 500)
        );
      }
      yield event;
    }
    throw new RemoteError('server_unreachable', `The server at ${request.baseUrl} closed ${request.what}.`, 503);
  } catch (error) {
    if (signal?.aborted) return;
    throw error instanceof ClaudeWorkerError ? error : new ServerUnreachableError(request.baseUrl, error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    connection.abort();
  }
}
