/**
 * A task's summary log: the text, or with `follow` a Server-Sent Events
 * stream of its lines (what is there, then new ones) that ends with
 * `event: end` carrying the task's final status.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClaudeWorkerError, ValidationError } from '../../core/errors.js';
import { logsQuerySchema } from '../../core/schemas.js';
import type { TaskService } from '../../service/task-service.js';
import type { ErrorBody } from '../error-reply.js';
import type { EventStream, EventStreams } from '../event-stream.js';
import { summaryLogResponse } from '../openapi.js';
import { apiErrorResponses, apiRoute, taskIdParamsSchema } from './route-schemas.js';

export function registerTaskLogRoutes(app: FastifyInstance, service: TaskService, streams: EventStreams): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/tasks/:id/logs',
    {
      schema: {
        ...apiRoute,
        summary: "Read or follow a task's summary log",
        description:
          'One line per tool use or message. `tail=N` returns the last N lines. `follow=1` streams Server-Sent ' +
          'Events: every line as a `data:` event, new ones as they are written, then `event: end` with ' +
          '`{"status": ...}` once the task has ended.',
        params: taskIdParamsSchema,
        querystring: logsQuerySchema,
        response: { 200: summaryLogResponse, ...apiErrorResponses(404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { tail, follow } = request.query;
      if (!follow) {
        const text = await service.logs(id, tail === undefined ? {} : { tail });
        return reply.type('text/plain; charset=utf-8').send(text);
      }
      if (tail !== undefined) throw new ValidationError([{ field: 'tail', message: 'cannot be combined with follow' }]);
      // An unknown task gets a plain 404 before the stream starts.
      await service.get(id);
      reply.hijack();
      await streamLog(service, id, streams.start(reply.raw));
    },
  );
}

async function streamLog(service: TaskService, taskId: number, stream: EventStream): Promise<void> {
  try {
    for await (const line of service.followLogs(taskId, stream.signal)) stream.send(line);
    if (stream.isShuttingDown) {
      stream.send(JSON.stringify(shutdownBody()), 'error');
    } else if (!stream.signal.aborted) {
      const { status } = await service.get(taskId);
      stream.send(JSON.stringify({ status }), 'end');
    }
  } catch (error) {
    stream.send(JSON.stringify(streamErrorBody(error)), 'error');
  } finally {
    stream.close();
  }
}

function shutdownBody(): ErrorBody {
  return {
    error: { code: 'server_unreachable', message: 'The server is shutting down; the task keeps its state. Follow again later.' },
  };
}

function streamErrorBody(error: unknown): ErrorBody {
  if (error instanceof ClaudeWorkerError) return { error: error.toJSON() };
  return { error: { code: 'server_error', message: `Reading the log failed: ${String(error)}` } };
}
