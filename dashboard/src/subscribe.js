/**
 * The page's one source of live updates: the server's stream of every state
 * change (`GET /api/v1/events`), read from the database's outbox, so a task
 * run by another process (a `worker` node) shows up like one run here.
 *
 * After a drop it reconnects, after a short pause that grows while the
 * server stays away, with `Last-Event-ID`: the server sends what happened
 * in between. `onReady` is called on the first connection only (before it,
 * nothing is known of what happened: the caller reads its view then), and
 * again when a reconnection could not resume (no event seen yet).
 */
import { readEventStream } from './sse.js';

const STREAM = '/api/v1/events';
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Returns the unsubscribe. `onTask(task)` for each state change of a task,
 * with the task as it is now; `onProgress(task)` for a running task's new
 * last action (`task.progress`, up to a few a second per task, so a view
 * that shows no last action leaves it out and reads nothing more for it);
 * `onQueue(event)` for `queue.paused` and `queue.resumed`; `onError(error)`
 * when the stream is refused or drops, `onError(null)` once it resumed.
 * With `after` (the newest event id when the caller read its view), the
 * stream resumes after it from the start, and `onReady` is not called: the
 * caller need not wait for the stream to open before it reads.
 */
export function subscribe({ after, onReady, onTask, onProgress, onQueue, onError }) {
  const stop = new AbortController();
  let retryMs = RETRY_FIRST_MS;
  let lastId = after === undefined ? null : String(after);
  const handle = ({ event: name, data, id }) => {
    // An `error` event tells why the server ends the stream (e.g. shutting down); the reconnection follows.
    if (name === 'error') return;
    const event = JSON.parse(data);
    if (id !== null) lastId = id;
    if (event.type.startsWith('queue.')) onQueue?.(event);
    else if (!event.task) return;
    else if (event.type === 'task.progress') onProgress?.(event.task);
    else onTask?.(event.task);
  };
  void (async () => {
    while (!stop.signal.aborted) {
      const resuming = lastId !== null;
      try {
        await readEventStream(STREAM, handle, stop.signal, {
          headers: resuming ? { 'last-event-id': lastId } : {},
          onOpen: () => {
            retryMs = RETRY_FIRST_MS;
            // The stream starts at the newest event: what came before is read once, now.
            if (resuming) onError?.(null);
            else onReady?.();
          },
        });
      } catch (error) {
        onError?.(error);
        if (error.status === 401) return;
      }
      if (stop.signal.aborted) return;
      // The stream ended (server restart, network): connect again after a pause.
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
  })();
  return () => stop.abort();
}
