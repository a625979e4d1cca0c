/**
 * Builds the OpenAPI document of a server's routes with @fastify/swagger, on
 * an instance of their own that is never served: the routes are added to it
 * as they were recorded (method, URL, schema, config), and swagger documents
 * them as it would have on the server itself.
 */
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import Fastify, { type RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { eventStreamResponse, summaryLogResponse } from './openapi.js';
import { ZOD_COMPILERS } from './validation.js';

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
function openApiOptions(version: string): FastifyDynamicSwaggerOptions {
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

export async function buildOpenApiDocument(routes: readonly RouteOptions[], version: string): Promise<unknown> {
  const documenter = Fastify({ schemaController: ZOD_COMPILERS });
  await documenter.register(swagger, openApiOptions(version));
  documenter.register(async (plugin) => {
    for (const { method, url, schema, config } of routes) plugin.route({ method, url, schema, config, handler: unserved });
  });
  await documenter.ready();
  try {
    return documenter.swagger();
  } finally {
    await documenter.close();
  }
}

/** The documenter answers no request. */
function unserved(): never {
  throw new Error('the OpenAPI documenter serves no request');
}
