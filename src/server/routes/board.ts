/** `GET /api/v1/board`: the tasks as the dashboard's board lists them. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { boardPageSchema, boardQuerySchema, MAX_BOARD_ROWS } from '../../core/board.js';
import type { TaskService } from '../../service/task-service.js';
import { apiErrorResponses, apiRoute } from './route-schemas.js';

export function registerBoardRoutes(app: FastifyInstance, service: TaskService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/board',
    {
      schema: {
        ...apiRoute,
        summary: 'List tasks as board rows, newest first, with the counts per status',
        description:
          `A row per task, with the start of its prompt instead of all of it (up to ${MAX_BOARD_ROWS} rows at ` +
          'once, 1,000 by default), and the counts per status of all tasks. `q` searches the whole prompt. Pass ' +
          '`next_cursor` back as `cursor` to read the next (older) page. `GET /api/v1/tasks/{id}` has the rest.',
        querystring: boardQuerySchema,
        response: { 200: boardPageSchema, ...apiErrorResponses() },
      },
    },
    async (request) => service.board(request.query),
  );
}
