/**
 * The REST API over a TaskService: routes, validation from the shared zod
 * schemas, one error mapping, request guards and the OpenAPI document.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { MetricsExporter } from '../service/metrics/metrics-exporter.js';
import type { TaskService } from '../service/task-service.js';
import { registerDashboardAssets } from './dashboard/static-assets.js';
import { registerErrorReplies } from './error-reply.js';
import { EventStreams } from './event-stream.js';
import { MAX_PATH_PARAM_CHARS, replyToClientError, replyToRoutingError } from './framework-errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerOpenApiRoute } from './openapi-route.js';
import { registerMcpEndpoint, type McpEndpointOptions } from './mcp-endpoint.js';
import { registerBoardRoutes } from './routes/board.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoute } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerOrchestrationRoutes } from './routes/orchestrations.js';
import { registerTaskLogRoutes } from './routes/task-logs.js';
import { registerTaskReviewRoutes } from './routes/task-review.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerUsageRoute } from './routes/usage.js';
import { registerWorkerRoutes } from './routes/workers.js';
import { registerRequestGuards } from './security.js';
import { closeSpareConnectionsOnClose } from './spare-connections.js';
import { ZOD_COMPILERS } from './validation.js';

/**
 * Two prompt fields of up to MAX_PROMPT_CHARS (200 000) characters each can
 * take 2.4 MB once JSON-escaped (6 bytes per escaped character); 4 MiB
 * leaves room for that and stops anything larger before it is parsed.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface AppOptions {
  /** Bearer token every route but /health and /openapi.json requires; null: no token. */
  token: string | null;
  /** Host header names accepted besides loopback names (see allowedHostsFor). */
  allowedHosts: string[];
  /** Version shown in the OpenAPI document. */
  version: string;
  bodyLimitBytes?: number;
  /** Log warnings and errors (never individual requests) to stderr. */
  logToStderr?: boolean;
  /** The MCP endpoint's prompt policy and the directory relative working directories resolve against. */
  mcp: McpEndpointOptions;
  /** Serves GET /metrics; without it there is no such route. */
  metrics?: MetricsExporter;
}

export function buildApp(service: TaskService, options: AppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = Fastify({
    bodyLimit,
    // Fastify logs each request at `info`, below this level: only problems reach the log.
    logger: options.logToStderr ? { level: 'warn', stream: process.stderr } : false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_CHARS },
    frameworkErrors: replyToRoutingError,
    clientErrorHandler: replyToClientError,
    schemaController: ZOD_COMPILERS,
  });
  registerJsonBodyParser(app);
  registerErrorReplies(app, bodyLimit);
  registerRequestGuards(app, options);

  const streams = new EventStreams();
  app.addHook('preClose', async () => streams.shutdownAll());
  closeSpareConnectionsOnClose(app);

  // The document records routes as they are added, so it comes first; the routes load in a plugin after it.
  registerOpenApiRoute(app, options.version);
  app.register(async (routes) => {
    registerTaskRoutes(routes, service);
    registerBoardRoutes(routes, service);
    registerTaskLogRoutes(routes, service, streams);
    registerEventRoutes(routes, service, streams);
    registerTaskReviewRoutes(routes, service);
    registerWorkerRoutes(routes, service);
    registerUsageRoute(routes, service);
    registerOrchestrationRoutes(routes, service);
    registerHealthRoute(routes, service);
    if (options.metrics) registerMetricsRoute(routes, options.metrics);
    registerMcpEndpoint(routes, service, options.mcp);
    registerDashboardAssets(routes);
  });
  return app;
}
