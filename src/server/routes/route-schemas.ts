/** Pieces of route schemas every API route shares. */
import { z } from 'zod';
import { errorBodySchema, taskIdSchema } from '../../core/schemas.js';
import { BEARER_SECURITY } from '../openapi.js';

export const taskIdParamsSchema = z.strictObject({ id: taskIdSchema.describe('Task id') });

/** Error responses of an API route: bad input, token, Host/Origin, plus the route's own, and the database out of reach (503). */
export function apiErrorResponses(...extra: number[]): Record<number, typeof errorBodySchema> {
  const statuses = [400, 401, 403, ...extra, 500, 503];
  return Object.fromEntries(statuses.map((status) => [status, errorBodySchema]));
}

export const apiRoute = { tags: ['tasks'], security: BEARER_SECURITY };
