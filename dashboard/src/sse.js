/**
 * Server-Sent Events read over fetch: EventSource cannot send an
 * Authorization header, and the token must never go into a URL.
 */
import { authHeaders, errorOf } from './api.js';

/**
 * Reads `path` as an event stream, calling onEvent({ event, data, id }) for
 * each event. `headers` go with the request (e.g. `Last-Event-ID`); `onOpen`
 * is called once the server accepted the stream. Resolves when the server
 * ends the stream or `signal` aborts; rejects with ApiError when the server
 * refuses it.
 */
export async function readEventStream(path, onEvent, signal, { headers = {}, onOpen } = {}) {
  let response;
  try {
    response = await fetch(path, { headers: authHeaders({ ...headers, accept: 'text/event-stream' }), signal });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  let id = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) onEvent({ event, data: data.join('\n'), id });
          event = 'message';
          data = [];
          id = null;
        } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('id:')) id = line.slice(3).trim();
        // Comment lines (keep-alives) carry nothing the page uses.
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    reader.releaseLock();
  }
}
