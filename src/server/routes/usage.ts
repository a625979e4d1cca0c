/** `GET /api/v1/usage`: what tasks cost, by UTC day and by model. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { usageQuerySchema, usageReportSchema } from '../../core/usage.js';
import type { TaskService } from '../../service/task-service.js';
import { apiErrorResponses, apiRoute } from './route-schemas.js';

export function registerUsageRoute(app: FastifyInstance, service: TaskService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/usage',
    {
      schema: {
        ...apiRoute,
        tags: ['usage'],
        summary: 'What tasks cost, by day and by model',
        description:
          'Cost (Claude Code’s estimate), tokens, tasks and failures of the tasks that ran and ended in the last ' +
          '`days` UTC days, today included (default 7): per day, oldest first, per model asked for (null: the ' +
          'default), costliest first, and in all.',
        querystring: usageQuerySchema,
        response: { 200: usageReportSchema, ...apiErrorResponses() },
      },
    },
    async (request) => service.usage(request.query),
  );
}
