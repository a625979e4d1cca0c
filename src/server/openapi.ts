/** What routes declare for the OpenAPI document beyond their zod schemas (see openapi-route.ts). */
import { z } from 'zod';

/** `security` of every route that needs the bearer token (when the server has one). */
export const BEARER_SECURITY = [{ bearerAuth: [] }] as const;

/**
 * Response schema of the logs route. The zod transform only knows JSON
 * bodies; the transform below gives this response its real media types.
 */
export const summaryLogResponse = z
  .string()
  .describe('The summary log as text/plain; with follow=1, Server-Sent Events (one `data:` per line, then `event: end`).');

export const eventStreamResponse = z.string().describe('Server-Sent Events: `id:` the event id, `data:` the event as JSON.');
