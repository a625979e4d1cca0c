/**
 * One mapping from anything a request can throw to the JSON error body
 * `{ error: { code, message, issues? } }`. Typed errors keep their status;
 * Fastify's own client errors (bad JSON, oversized body, wrong media type)
 * become 4xx with a message that says what to fix; only a bug is a 500.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import {
  ClaudeWorkerError,
  OrchestrationNotFoundError,
  TaskNotFoundError,
  UnauthorizedError,
  ValidationError,
  type ErrorCode,
  type ValidationIssue,
} from '../core/errors.js';
import { echoed } from '../core/input-rules.js';
import { MAX_PROMPT_CHARS } from '../core/schemas.js';
import { withQueryIssues } from './validation.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: readonly ValidationIssue[] };
}

export interface ErrorReply {
  status: number;
  body: ErrorBody;
}

export function registerErrorReplies(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error, request, bodyLimitBytes);
    if (status >= 500) request.log.error({ err: error }, `${request.method} ${request.url} failed`);
    if (error instanceof UnauthorizedError) reply.header('www-authenticate', 'Bearer realm="claude-worker"');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'not_found', message: `No route ${request.method} ${request.url}. The API is described at /openapi.json` },
    } satisfies ErrorBody),
  );
}

export function errorReply(error: unknown, request: FastifyRequest, bodyLimitBytes: number): ErrorReply {
  if (error instanceof ValidationError) return typedErrorReply(withQueryIssues(error, request));
  if (error instanceof ClaudeWorkerError) return typedErrorReply(error);
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: {
            code: 'payload_too_large',
            message:
              `Request body is larger than the ${bodyLimitBytes} byte limit. Prompts are limited to ` +
              `${MAX_PROMPT_CHARS} characters; put large material in a file in the working directory and refer to it.`,
          },
        },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidBody(400, 'body', 'is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidBody(400, 'body', 'is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      return type === undefined
        ? invalidBody(415, 'content-type', 'is missing; send the body with Content-Type: application/json')
        : invalidBody(415, 'content-type', `must be application/json (got ${echoed(type)})`);
    }
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: { error: { code: 'validation_failed', message: fastifyError.message ?? 'Bad request' } } };
  }
  return {
    status: 500,
    body: { error: { code: 'server_error', message: 'Internal server error; the server log has the details.' } },
  };
}

function typedErrorReply(error: ClaudeWorkerError): ErrorReply {
  const body = error.toJSON();
  const hint = listingHint(error);
  return { status: error.httpStatus, body: { error: hint ? { ...body, message: `${body.message} ${hint}` } : body } };
}

/** Where an HTTP client finds what does exist, after an unknown id. */
function listingHint(error: ClaudeWorkerError): string | null {
  if (error instanceof TaskNotFoundError) return 'GET /api/v1/tasks lists tasks.';
  if (error instanceof OrchestrationNotFoundError) return 'GET /api/v1/orchestrations lists orchestrations.';
  return null;
}

function invalidBody(status: number, field: string, message: string): ErrorReply {
  return { status, body: { error: new ValidationError([{ field, message }]).toJSON() } };
}
