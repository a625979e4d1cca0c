/**
 * What a claude-worker server's error body means, as the typed errors of
 * core/errors (a ValidationError carries every issue the server listed).
 */
import {
  type ClaudeWorkerError,
  ForbiddenError,
  OrchestrationNotFoundError,
  RemoteError,
  TaskNotFoundError,
  UnauthorizedError,
  ValidationError,
  type ErrorCode,
  type ValidationIssue,
} from '../core/errors.js';

/** The status each code is answered with, for an error that arrives without one (inside an event stream). */
const STATUS_OF_CODE: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  disk_full: 507,
  server_error: 500,
  server_unreachable: 503,
  store_unavailable: 503,
};

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface ErrorBodyShape {
  error: { code: string; message: string; issues?: ValidationIssue[] };
}

function isErrorBody(body: unknown): body is ErrorBodyShape {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** What a request was about, for the not-found errors. */
export interface ErrorContext {
  taskId?: number;
  orchestrationId?: number;
}

/**
 * The typed error for a server's error body; null when the body is not one
 * (something else answered). `status` is the HTTP status, or undefined for an
 * error event inside an event stream.
 */
export function errorFromBody(status: number | undefined, body: unknown, about: ErrorContext): ClaudeWorkerError | null {
  if (!isErrorBody(body)) return null;
  const { code, message, issues } = body.error;
  const knownCode = Object.hasOwn(STATUS_OF_CODE, code) ? (code as ErrorCode) : 'server_error';
  switch (knownCode) {
    case 'validation_failed':
      return issues && issues.length > 0 ? new ValidationError(issues) : new RemoteError(knownCode, message, status ?? 400);
    case 'not_found':
      if (about.taskId !== undefined) return new TaskNotFoundError(about.taskId);
      if (about.orchestrationId !== undefined) return new OrchestrationNotFoundError(about.orchestrationId);
      return new RemoteError(knownCode, message, 404);
    case 'unauthorized':
      return new UnauthorizedError(message);
    case 'forbidden':
      return new ForbiddenError(message);
    default:
      return new RemoteError(knownCode, message, status ?? STATUS_OF_CODE[knownCode]);
  }
}
