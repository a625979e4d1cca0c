/** Submitting, reading, listing and cancelling orchestrations (task graphs). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOrchestrationInputSchema,
  listOrchestrationsQuerySchema,
  orchestrationDetailSchema,
  orchestrationIdSchema,
  orchestrationPageSchema,
} from '../../core/orchestration-schemas.js';
import { mergeInputSchema, orchestrationMergeOutcomeSchema } from '../../core/review.js';
import type { TaskService } from '../../service/task-service.js';
import { bodyCheckedByService } from '../validation.js';
import { apiErrorResponses, apiRoute } from './route-schemas.js';

const orchestrationRoute = { ...apiRoute, tags: ['orchestrations'] };
const orchestrationIdParamsSchema = z.strictObject({ id: orchestrationIdSchema.describe('Orchestration id') });

export function registerOrchestrationRoutes(app: FastifyInstance, service: TaskService): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/v1/orchestrations',
    {
      schema: {
        ...orchestrationRoute,
        summary: 'Submit an orchestration (a graph of tasks)',
        description:
          'Persists the orchestration and all its tasks at once; each task runs when the tasks it depends on ' +
          'have ended. Every problem with the input (fields, directories, unknown or duplicate identifiers, ' +
          'cycles) is reported together. With a `key` that matches an existing orchestration, that one is returned (200).',
        body: createOrchestrationInputSchema,
        response: { 201: orchestrationDetailSchema, 200: orchestrationDetailSchema, ...apiErrorResponses(409, 413, 415) },
      },
      validatorCompiler: bodyCheckedByService,
    },
    async (request, reply) => {
      const { orchestration, deduplicated } = await service.submitOrchestration(request.body);
      return reply.code(deduplicated ? 200 : 201).send(orchestration);
    },
  );

  routes.get(
    '/api/v1/orchestrations',
    {
      schema: {
        ...orchestrationRoute,
        summary: 'List orchestrations, newest first',
        description: 'Without their tasks; pass `next_cursor` back as `cursor` to read the next (older) page.',
        querystring: listOrchestrationsQuerySchema,
        response: { 200: orchestrationPageSchema, ...apiErrorResponses() },
      },
    },
    async (request) => service.listOrchestrations(request.query),
  );

  routes.get(
    '/api/v1/orchestrations/:id',
    {
      schema: {
        ...orchestrationRoute,
        summary: 'Read an orchestration with its tasks',
        params: orchestrationIdParamsSchema,
        response: { 200: orchestrationDetailSchema, ...apiErrorResponses(404) },
      },
    },
    async (request) => service.getOrchestration(request.params.id),
  );

  routes.post(
    '/api/v1/orchestrations/:id/cancel',
    {
      schema: {
        ...orchestrationRoute,
        summary: 'Cancel an orchestration',
        description:
          'Its waiting tasks are skipped, its pending ones cancelled at once and its running ones stopped ' +
          '(they end `cancelled` shortly after).',
        params: orchestrationIdParamsSchema,
        response: { 200: orchestrationDetailSchema, ...apiErrorResponses(404) },
      },
    },
    async (request) => service.cancelOrchestration(request.params.id),
  );

  routes.post(
    '/api/v1/orchestrations/:id/merge',
    {
      schema: {
        ...orchestrationRoute,
        summary: "Merge an orchestration's work",
        description:
          'Merges the heads of the sink tasks (those no other task of the orchestration depends on), combined into ' +
          'one commit when there are several, into `into` (default: the branch checked out in their repository), ' +
          'as a task merge does; records `merged_at` and `merge_commit` on each sink. 409, changing nothing, while ' +
          'a task of it has not ended, when a sink has no branch (isolation none, or it never ran), or on a conflict ' +
          '(naming the files).',
        params: orchestrationIdParamsSchema,
        body: mergeInputSchema.nullish(),
        response: { 200: orchestrationMergeOutcomeSchema, ...apiErrorResponses(404, 409) },
      },
    },
    async (request) => service.mergeOrchestration(request.params.id, request.body ?? {}),
  );
}
