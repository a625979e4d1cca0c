/**
 * The page's one source of live updates. Every page that shows tasks
 * listens here, so moving to another stream (a general event stream of
 * every state change) changes this module only.
 *
 * Today it reads the dashboard's stream of changed tasks. `onReady` is called
 * each time the stream is (re)connected: what changed while it was not
 * connected is unknown, so the caller reads its view once then.
 */
import { readEventStream } from './sse.js';

const STREAM = '/api/v1/dashboard/task-changes';
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/** Returns the unsubscribe. `onTask(task)` for each changed task; `onError(error)` when the stream is refused. */
export function subscribe({ onReady, onTask, onError }) {
  const stop = new AbortController();
  let retryMs = RETRY_FIRST_MS;
  const handle = ({ event, data }) => {
    if (event === 'ready') {
      retryMs = RETRY_FIRST_MS;
      onReady?.();
    } else if (event === 'task') onTask(JSON.parse(data));
  };
  void (async () => {
    while (!stop.signal.aborted) {
      try {
        await readEventStream(STREAM, handle, stop.signal);
      } catch (error) {
        onError?.(error);
        if (error.status === 401) return;
      }
      if (stop.signal.aborted) return;
      // The stream ended (server restart, network): connect again after a pause, then read the view again.
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
  })();
  return () => stop.abort();
}
