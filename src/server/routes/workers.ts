/** `GET /api/v1/workers`: the runner processes sharing the database. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { workerListSchema } from '../../core/schemas.js';
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
}
