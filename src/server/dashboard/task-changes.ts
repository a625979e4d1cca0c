/**
 * `GET /api/v1/dashboard/task-changes`: a Server-Sent Events stream of tasks
 * as they change, for the dashboard's live board. Each event is one task as
 * `GET /api/v1/tasks/:id` returns it. It carries what this process's store
 * signals report (every change the server itself makes or its runner
 * makes); a general event stream of every state change is meant to replace
 * it, behind the dashboard's single `subscribe()`.
 *
 * Hidden from the OpenAPI document: it is the dashboard's, not a public API.
 */
import type { FastifyInstance } from 'fastify';
import type { TaskService } from '../../service/task-service.js';
import type { EventStream, EventStreams } from '../event-stream.js';

/** Subscribes to "task N changed" in this process; returns the unsubscribe. */
export type TaskChangeFeed = (listener: (taskId: number) => void) => () => void;

/** Changes within this window go out as one read per task: a burst of progress writes is one event. */
const COALESCE_MS = 50;

export function registerTaskChangeStream(
  app: FastifyInstance,
  service: TaskService,
  streams: EventStreams,
  feed: TaskChangeFeed,
): void {
  app.get('/api/v1/dashboard/task-changes', { schema: { hide: true } }, async (_request, reply) => {
    reply.hijack();
    const stream = streams.start(reply.raw);
    // Tells the page the stream is live, so it can read the board once and miss nothing after.
    stream.send('{}', 'ready');
    await relayChanges(service, feed, stream);
  });
}

async function relayChanges(service: TaskService, feed: TaskChangeFeed, stream: EventStream): Promise<void> {
  const changed = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  const flush = async () => {
    timer = null;
    const ids = [...changed];
    changed.clear();
    for (const id of ids) {
      // A task removed by retention between the signal and the read is simply not sent.
      const task = await service.get(id).catch(() => null);
      if (task !== null) stream.send(JSON.stringify(task), 'task');
    }
  };
  const unsubscribe = feed((taskId) => {
    changed.add(taskId);
    timer ??= setTimeout(() => void flush(), COALESCE_MS);
  });
  await new Promise<void>((resolve) => stream.signal.addEventListener('abort', () => resolve(), { once: true }));
  unsubscribe();
  if (timer !== null) clearTimeout(timer);
  stream.close();
}
