/** Reviewing a task's work: its diff, merging its branch, discarding its workspace, finding its worktree. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIFF_TOTAL_BYTES_HEADER, DIFF_TRUNCATED_HEADER } from '../../core/diff-headers.js';
import {
  diffQuerySchema,
  diffStatSchema,
  discardInputSchema,
  discardOutcomeSchema,
  mergeInputSchema,
  mergeOutcomeSchema,
} from '../../core/review.js';
import type { TaskService } from '../../service/task-service.js';
import { apiErrorResponses, apiRoute, taskIdParamsSchema } from './route-schemas.js';

const NOT_IN_PLACE =
  'A task with isolation none ran in the working directory itself: 409, its changes are there (git diff in that directory).';

export function registerTaskReviewRoutes(app: FastifyInstance, service: TaskService): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/v1/tasks/:id/diff',
    {
      schema: {
        ...apiRoute,
        summary: "Show a task's changes",
        description:
          'The unified diff from `base_commit` to the head of the task’s branch, as text/plain, cut past `max_bytes` ' +
          `with a last line saying so (headers ${DIFF_TRUNCATED_HEADER} and ${DIFF_TOTAL_BYTES_HEADER} tell too). ` +
          '`stat=1`: the files changed with their line counts, as JSON. ' +
          NOT_IN_PLACE,
        params: taskIdParamsSchema,
        querystring: diffQuerySchema,
        response: {
          200: z.union([z.string(), diffStatSchema]).describe('text/plain diff, or with stat=1 the JSON stat'),
          ...apiErrorResponses(404, 409),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { stat, max_bytes } = request.query;
      if (stat) return service.diffStat(id);
      const diff = await service.diff(id, max_bytes === undefined ? {} : { maxBytes: max_bytes });
      return reply
        .type('text/plain; charset=utf-8')
        .header(DIFF_TRUNCATED_HEADER, String(diff.truncated))
        .header(DIFF_TOTAL_BYTES_HEADER, String(diff.total_bytes))
        .send(diff.text);
    },
  );

  routes.post(
    '/api/v1/tasks/:id/merge',
    {
      schema: {
        ...apiRoute,
        summary: "Merge a task's branch",
        description:
          'Merges the branch of an ended task into `into` (default: the branch checked out in its repository), ' +
          'computed without touching any checkout, then fast-forwarded or committed; records `merged_at` and ' +
          '`merge_commit`. 409, changing nothing, when the task has not ended, when the merge conflicts or the ' +
          'checkout has uncommitted changes in files it touches (both name the files), or when no branch is checked out. ' +
          NOT_IN_PLACE,
        params: taskIdParamsSchema,
        // No body at all: the defaults.
        body: mergeInputSchema.nullish(),
        response: { 200: mergeOutcomeSchema, ...apiErrorResponses(404, 409) },
      },
    },
    async (request) => service.merge(request.params.id, request.body ?? {}),
  );

  routes.post(
    '/api/v1/tasks/:id/discard',
    {
      schema: {
        ...apiRoute,
        summary: "Remove a task's worktree and branch",
        description:
          'Never loses work: a worktree with uncommitted changes is kept (409), and a branch with commits no other ' +
          'branch holds is deleted only with `force` (409 otherwise, naming the files). The task record stays.',
        params: taskIdParamsSchema,
        body: discardInputSchema.nullish(),
        response: { 200: discardOutcomeSchema, ...apiErrorResponses(404, 409) },
      },
    },
    async (request) => service.discard(request.params.id, request.body ?? {}),
  );

  routes.get(
    '/api/v1/tasks/:id/worktree',
    {
      schema: {
        ...apiRoute,
        summary: "Where a task's worktree is",
        description: 'The directory of the task’s worktree on the server’s machine; 409 when it has none (any more).',
        params: taskIdParamsSchema,
        response: { 200: z.object({ path: z.string() }), ...apiErrorResponses(404, 409) },
      },
    },
    async (request) => service.worktree(request.params.id),
  );
}
