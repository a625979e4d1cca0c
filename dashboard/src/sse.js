/**
 * Server-Sent Events read over fetch: EventSource cannot send an
 * Authorization header, and the token must never go into a URL.
 */
import { authHeaders, errorOf } from './api.js';

/**
 * Reads `path` as an event stream, calling onEvent({ event, data }) for each
 * event. Resolves when the server ends the stream or `signal` aborts; rejects
 * with ApiError when the server refuses it.
 */
export async function readEventStream(path, onEvent, signal) {
  let response;
  try {
    response = await fetch(path, { headers: authHeaders({ accept: 'text/event-stream' }), signal });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) onEvent({ event, data: data.join('\n') });
          event = 'message';
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        // Comment lines (keep-alives) and ids carry nothing the page uses.
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    reader.releaseLock();
  }
}
