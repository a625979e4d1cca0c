/** `GET /api/v1/workers`: the runner processes sharing the database; `POST /api/v1/queue/resume`: lift their pause. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { queueResumeSchema, workerListSchema } from '../../core/schemas.js';
import type { TaskService } from '../../service/task-service.js';
import { apiErrorResponses, apiRoute } from './route-schemas.js';

export function registerWorkerRoutes(app: FastifyInstance, service: TaskService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/workers',
    {
      schema: {
        ...apiRoute,
        tags: ['workers'],
        summary: 'List the workers',
        description:
          'Every runner process on this database (`worker` nodes, and servers that run tasks), by name: its ' +
          'labels, capacity, running tasks (those it holds leases on) and state. A worker silent for longer than ' +
          'its lease is `lost`. Stopped and lost workers stay listed for `retention_seconds` (24 h) after their ' +
          'last heartbeat, then disappear.',
        response: { 200: workerListSchema, ...apiErrorResponses() },
      },
    },
    async () => service.workers(),
  );
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/queue/resume',
    {
      schema: {
        ...apiRoute,
        tags: ['workers'],
        summary: 'Lift the queue pause',
        description:
          'A usage limit pauses claiming on every worker until the limit resets, and the daily budget until the ' +
          'next UTC midnight (see `paused_until` and `pause_reason` in `GET /health`). This lifts the pause by hand: ' +
          'claiming resumes at once, and the tasks a usage limit sent back may start now. `resumed` is false when ' +
          'the queue was not paused.',
        response: { 200: queueResumeSchema, ...apiErrorResponses() },
      },
    },
    async () => service.resumeQueue(),
  );
}
