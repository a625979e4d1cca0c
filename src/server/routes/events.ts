/**
 * `GET /api/v1/events`: every state change, as Server-Sent Events read from
 * the store's outbox. Each event's `id:` is its outbox id, so a client that
 * reconnects with `Last-Event-ID` (or `?after=`) gets everything it missed.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClaudeWorkerError } from '../../core/errors.js';
import { eventsQuerySchema, lastEventIdSchema } from '../../core/events.js';
import { parseOrThrow } from '../../core/schemas.js';
import type { TaskService } from '../../service/task-service.js';
import type { ErrorBody } from '../error-reply.js';
import type { EventStream, EventStreams } from '../event-stream.js';
import { eventStreamResponse } from '../openapi.js';
import { apiErrorResponses, apiRoute } from './route-schemas.js';

export function registerEventRoutes(app: FastifyInstance, service: TaskService, streams: EventStreams): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/events',
    {
      schema: {
        ...apiRoute,
        summary: 'Follow every state change',
        description:
          'Server-Sent Events, one per state change: `id:` the event id, `data:` a JSON object with `id`, `type` ' +
          '(`task.submitted`, `task.running`, `task.completed`, ..., `orchestration.completed`, `queue.paused`, ...), ' +
          '`at`, and the `task` or `orchestration` as the API returns it. Reconnect with `Last-Event-ID` (or ' +
          '`?after=`) to resume after the last event seen; without either, the stream starts with the next event. ' +
          "`task.progress` is no state change: a running task's last action changed (`data.last_action`), sent " +
          'at most every 250 ms per task; a resumed stream gets only the latest one of each running task, and ' +
          'webhooks never get it.',
        querystring: eventsQuerySchema,
        response: { 200: eventStreamResponse, ...apiErrorResponses() },
      },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const after =
        typeof header === 'string' && header !== ''
          ? parseOrThrow(lastEventIdSchema, header, 'Last-Event-ID')
          : request.query.after;
      reply.hijack();
      await streamEvents(service, after, streams.start(reply.raw));
    },
  );
}

async function streamEvents(service: TaskService, after: number | undefined, stream: EventStream): Promise<void> {
  try {
    for await (const event of service.events(after === undefined ? {} : { after }, stream.signal)) {
      stream.send(JSON.stringify(event), undefined, String(event.id));
    }
    if (stream.isShuttingDown) stream.send(JSON.stringify(shutdownBody()), 'error');
  } catch (error) {
    stream.send(JSON.stringify(streamErrorBody(error)), 'error');
  } finally {
    stream.close();
  }
}

function shutdownBody(): ErrorBody {
  return { error: { code: 'server_unreachable', message: 'The server is shutting down. Reconnect with Last-Event-ID.' } };
}

function streamErrorBody(error: unknown): ErrorBody {
  if (error instanceof ClaudeWorkerError) return { error: error.toJSON() };
  return { error: { code: 'server_error', message: `Reading the events failed: ${String(error)}` } };
}
