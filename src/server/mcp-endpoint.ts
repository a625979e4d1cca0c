/**
 * MCP over Streamable HTTP at `/mcp`, on the REST server, so a planner on
 * another machine can `claude mcp add --transport http`. It sits behind the
 * same guards as every route (bearer token, Host and Origin checks: see
 * security.ts), and serves the same tools as the stdio server, over the
 * server's own task service.
 *
 * The SDK's handler is web-standard (Request in, Response out); Fastify has
 * already parsed and size-checked the JSON body, so it is handed over parsed,
 * and Fastify sends the returned Response (an SSE stream included) as is.
 */
import type { createMcpHandler } from '@modelcontextprotocol/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { McpToolsOptions } from '../mcp/tool-options.js';
import type { TaskService } from '../service/task-service.js';

export const MCP_PATH = '/mcp';

/** What the MCP tools need besides the service; `mode` is reported by check_api_health. */
export type McpEndpointOptions = Omit<McpToolsOptions, 'service' | 'mode'>;

export function registerMcpEndpoint(app: FastifyInstance, service: TaskService, options: McpEndpointOptions): void {
  // The MCP SDK and the tools are loaded by the first MCP request, not at start:
  // a server most often answers REST and the CLI only.
  let handler: Promise<ReturnType<typeof createMcpHandler>> | undefined;
  const mcpHandler = () =>
    (handler ??= (async () => {
      const [{ createMcpHandler }, { createMcpServer }] = await Promise.all([
        import('@modelcontextprotocol/server'),
        import('../mcp/tools.js'),
      ]);
      return createMcpHandler(() => createMcpServer({ ...options, service, mode: 'server' }), {
        onerror: (error) => app.log.warn(`MCP request failed: ${error.message}`),
      });
    })());
  app.addHook('preClose', async () => {
    if (handler !== undefined) await (await handler).close();
  });
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: MCP_PATH,
    // A protocol endpoint, described by the MCP specification rather than by the REST API's OpenAPI document.
    schema: { hide: true },
    handler: async (request, reply) => {
      const aborted = new AbortController();
      // A client that goes away ends the exchange (and any SSE stream) instead of leaving it open.
      reply.raw.once('close', () => aborted.abort());
      const response = await (await mcpHandler()).fetch(toWebRequest(request, aborted.signal), { parsedBody: request.body });
      return reply.send(response);
    },
  });
}

function toWebRequest(request: FastifyRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    // The body is passed parsed, so its original length no longer applies.
    if (value === undefined || name === 'content-length') continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Request(new URL(request.url, `http://${request.headers.host}`), { method: request.method, headers, body, signal });
}
