/**
 * The OpenAPI 3 document at /openapi.json, generated from the same zod
 * schemas the routes validate with, so it cannot drift from them.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
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

const eventStreamContent = {
  description: eventStreamResponse.description,
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

const summaryLogContent = {
  description: summaryLogResponse.description,
  content: {
    'text/plain': { schema: { type: 'string' } },
    'text/event-stream': { schema: { type: 'string' } },
  },
};

/** Options for @fastify/swagger, which must be registered before the routes it documents. */
export function openApiOptions(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'claude-worker',
        version,
        description: 'Fire-and-forget task execution for Claude Code.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'CLAUDE_WORKER_TOKEN; required when the server was started with a token.',
          },
        },
      },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      const response = transformed.schema.response as Record<string, unknown> | undefined;
      const declared = (input.schema?.response as Record<string, unknown> | undefined)?.['200'];
      if (response && declared === summaryLogResponse) response['200'] = summaryLogContent;
      if (response && declared === eventStreamResponse) response['200'] = eventStreamContent;
      return transformed;
    },
  };
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
