/**
 * `GET /api/v1/dashboard/task-changes`: a Server-Sent Events stream of tasks
 * as they change, for the dashboard's live board. Each event is one task as
 * `GET /api/v1/tasks/:id` returns it. It carries what this process's store
 * signals report (every change the server itself or its runner makes) and,
 * as the backstop for changes other processes make (tasks run by `worker`
 * nodes), what a periodic read of the unfinished tasks shows changed. A
 * general event stream of every state change is meant to replace it, behind
 * the dashboard's single `subscribe()`.
 *
 * Hidden from the OpenAPI document: it is the dashboard's, not a public API.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_LIST_LIMIT, type TaskStatus } from '../../core/task.js';
import type { TaskService } from '../../service/task-service.js';
import type { EventStream, EventStreams } from '../event-stream.js';

/** Subscribes to "task N changed" in this process; returns the unsubscribe. */
export type TaskChangeFeed = (listener: (taskId: number) => void) => () => void;

/** Changes within this window go out as one read per task: a burst of progress writes is one event. */
const COALESCE_MS = 50;
/** How often the unfinished tasks are read again, for changes made in other processes. */
const BACKSTOP_MS = 2000;
const UNFINISHED: readonly TaskStatus[] = ['pending', 'waiting', 'running'];

export function registerTaskChangeStream(
  app: FastifyInstance,
  service: TaskService,
  streams: EventStreams,
  feed: TaskChangeFeed,
): void {
  app.get('/api/v1/dashboard/task-changes', { schema: { hide: true } }, async (_request, reply) => {
    reply.hijack();
    await relayChanges(service, feed, streams.start(reply.raw));
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
  const mark = (taskId: number) => {
    changed.add(taskId);
    timer ??= setTimeout(() => void flush(), COALESCE_MS);
  };
  const unsubscribe = feed(mark);
  const unfinished = new UnfinishedTasks(service);
  // The starting point, read before `ready`: the page reads its view after `ready`, so nothing falls between.
  await unfinished.changedIds().catch(() => []);
  stream.send('{}', 'ready');
  const backstop = setInterval(
    () =>
      void unfinished.changedIds().then(
        (ids) => ids.forEach(mark),
        () => {},
      ),
    BACKSTOP_MS,
  );
  await new Promise<void>((resolve) => stream.signal.addEventListener('abort', () => resolve(), { once: true }));
  unsubscribe();
  clearInterval(backstop);
  if (timer !== null) clearTimeout(timer);
  stream.close();
}

/** The unfinished tasks as last read; each read tells which of them changed or finished since. */
class UnfinishedTasks {
  private seen = new Map<number, string>();

  constructor(private readonly service: TaskService) {}

  async changedIds(): Promise<number[]> {
    const pages = await Promise.all(UNFINISHED.map((status) => this.service.list({ status, limit: MAX_LIST_LIMIT })));
    const now = new Map(pages.flatMap((page) => page.tasks).map((task) => [task.id, JSON.stringify(task)]));
    const changed = [...now].filter(([id, text]) => this.seen.get(id) !== text).map(([id]) => id);
    const finished = [...this.seen.keys()].filter((id) => !now.has(id));
    this.seen = now;
    return [...changed, ...finished];
  }
}
