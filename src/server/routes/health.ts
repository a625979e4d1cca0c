/** `GET /health`: open without a token, so monitors and the daemon's readiness probe can call it. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBodySchema, healthSchema } from '../../core/schemas.js';
import type { TaskService } from '../../service/task-service.js';

export function registerHealthRoute(app: FastifyInstance, service: TaskService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        tags: ['server'],
        summary: 'Server health, version and queue counts',
        response: { 200: healthSchema, 403: errorBodySchema, 500: errorBodySchema, 503: errorBodySchema },
      },
    },
    async () => service.health(),
  );
}
