/** Submitting, reading, listing and cancelling tasks. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  continueTaskInputSchema,
  createTaskInputSchema,
  listTasksQuerySchema,
  taskPageSchema,
  taskSchema,
  waitForTasksInputSchema,
  waitOutcomeSchema,
} from '../../core/schemas.js';
import type { TaskService } from '../../service/task-service.js';
import { bodyCheckedByService } from '../validation.js';
import { apiErrorResponses, apiRoute, taskIdParamsSchema } from './route-schemas.js';

export function registerTaskRoutes(app: FastifyInstance, service: TaskService): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/v1/tasks',
    {
      schema: {
        ...apiRoute,
        summary: 'Submit a task',
        description:
          'Persists the task and returns at once; it runs in the background. Every problem with the input is ' +
          'reported together. With an `idempotency_key` that matches an existing task, that task is returned (200).',
        body: createTaskInputSchema,
        response: { 201: taskSchema, 200: taskSchema, ...apiErrorResponses(409, 413, 415) },
      },
      validatorCompiler: bodyCheckedByService,
    },
    async (request, reply) => {
      const { task, deduplicated } = await service.submit(request.body);
      return reply.code(deduplicated ? 200 : 201).send(task);
    },
  );

  routes.get(
    '/api/v1/tasks',
    {
      schema: {
        ...apiRoute,
        summary: 'List tasks, newest first',
        description: 'Pass `next_cursor` back as `cursor` to read the next (older) page.',
        querystring: listTasksQuerySchema,
        response: { 200: taskPageSchema, ...apiErrorResponses() },
      },
    },
    async (request) => service.list(request.query),
  );

  routes.post(
    '/api/v1/tasks/wait',
    {
      schema: {
        ...apiRoute,
        summary: 'Wait for tasks to end',
        description:
          'Answers as soon as every listed task has ended, or when `timeout_seconds` (at most 50) pass, with each ' +
          'task. Call it again with the tasks still running to wait longer: no need to poll.',
        body: waitForTasksInputSchema,
        response: { 200: waitOutcomeSchema, ...apiErrorResponses(404) },
      },
    },
    async (request, reply) => {
      // A client that hangs up ends the wait.
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      return service.waitForTasks(request.body.task_ids, request.body.timeout_seconds, gone.signal);
    },
  );

  routes.get(
    '/api/v1/tasks/:id',
    {
      schema: {
        ...apiRoute,
        summary: 'Read a task',
        params: taskIdParamsSchema,
        response: { 200: taskSchema, ...apiErrorResponses(404) },
      },
    },
    async (request) => service.get(request.params.id),
  );

  routes.post(
    '/api/v1/tasks/:id/cancel',
    {
      schema: {
        ...apiRoute,
        summary: 'Cancel a task',
        description:
          'A pending task is cancelled at once; a running one is stopped (its whole process tree) and ends ' +
          '`cancelled` shortly after. An ended task is returned unchanged.',
        params: taskIdParamsSchema,
        response: { 200: taskSchema, ...apiErrorResponses(404) },
      },
    },
    async (request) => service.cancel(request.params.id),
  );

  routes.post(
    '/api/v1/tasks/:id/continue',
    {
      schema: {
        ...apiRoute,
        summary: 'Continue an ended task',
        description:
          'Submits a follow-up: a new task that resumes the conversation of a completed, failed or cancelled task ' +
          'with `message` as its next message, in the same worktree and on the same branch. It records `continues`. ' +
          'A task that has not ended (or was skipped) gets 409 and nothing is stored.',
        params: taskIdParamsSchema,
        body: continueTaskInputSchema,
        response: { 201: taskSchema, ...apiErrorResponses(404, 409, 413, 415) },
      },
      validatorCompiler: bodyCheckedByService,
    },
    async (request, reply) => reply.code(201).send(await service.continueTask(request.params.id, request.body)),
  );
}
