/**
 * Typed errors with stable codes. Every door maps them the same way
 * (REST status via `httpStatus`, CLI exit code and stderr, MCP tool errors).
 */

export interface ValidationIssue {
  /** The input field the problem is about (`execution_prompt`, `working_directory`, `body`, ...). */
  field: string;
  message: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'idempotency_conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'disk_full'
  | 'server_unreachable'
  | 'store_unavailable'
  | 'server_error';

export abstract class ClaudeWorkerError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly httpStatus: number;

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/**
 * A reply about bad input stays bounded whatever the input: at most this
 * many issues, each field name and message cut. Messages cut the values they
 * quote themselves; this is the backstop, loose enough for the longest
 * message the rules write (a cycle through every task of a graph).
 */
const MAX_ISSUES = 50;
const MAX_FIELD_CHARS = 300;
const MAX_MESSAGE_CHARS = 64_000;

function bounded(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (cut)` : text);
  const kept = issues.slice(0, MAX_ISSUES).map((issue) => ({
    field: cut(issue.field, MAX_FIELD_CHARS),
    message: cut(issue.message, MAX_MESSAGE_CHARS),
  }));
  if (issues.length > MAX_ISSUES) kept.push({ field: 'body', message: `and ${issues.length - MAX_ISSUES} more problems` });
  return kept;
}

export class ValidationError extends ClaudeWorkerError {
  readonly code = 'validation_failed' as const;
  readonly httpStatus = 400;
  readonly issues: readonly ValidationIssue[];

  constructor(allIssues: readonly ValidationIssue[]) {
    const issues = bounded(allIssues);
    super(
      issues.length === 1
        ? `Invalid input: ${describeIssue(issues[0]!)}`
        : `Invalid input (${allIssues.length} problems): ${issues.map(describeIssue).join('; ')}`,
    );
    this.name = 'ValidationError';
    this.issues = issues;
  }

  override toJSON(): { code: 'validation_failed'; message: string; issues: readonly ValidationIssue[] } {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

function describeIssue(issue: ValidationIssue): string {
  return `${issue.field}: ${issue.message}`;
}

/*
 * The not-found errors say what is missing; each door adds how its reader
 * lists what exists (a command, an HTTP route, a tool).
 */
export class TaskNotFoundError extends ClaudeWorkerError {
  readonly code = 'not_found' as const;
  readonly httpStatus = 404;

  constructor(readonly taskId: number | string) {
    super(`Task ${taskId} not found.`);
    this.name = 'TaskNotFoundError';
  }
}

export class OrchestrationNotFoundError extends ClaudeWorkerError {
  readonly code = 'not_found' as const;
  readonly httpStatus = 404;

  constructor(readonly orchestrationId: number | string) {
    super(`Orchestration ${orchestrationId} not found.`);
    this.name = 'OrchestrationNotFoundError';
  }
}

/**
 * A follow-up asked of a task that has not ended (or never ran): there is no
 * finished conversation to continue yet.
 */
export class TaskNotEndedError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly taskId: number,
    readonly status: string,
  ) {
    super(
      status === 'skipped'
        ? `Task ${taskId} was skipped and never ran, so there is nothing to continue; submit a new task instead. Nothing was stored.`
        : `Task ${taskId} is ${status}; only a completed, failed or cancelled task can be continued. ` +
            `Wait for it to end (claude-worker wait ${taskId}) and continue it then. Nothing was stored.`,
    );
    this.name = 'TaskNotEndedError';
  }
}

/**
 * An idempotency key sent again with a request that differs from the one
 * that first used it: the stored task (or orchestration) is not what the
 * caller asks for, so returning it would hide the mistake.
 */
export class IdempotencyConflictError extends ClaudeWorkerError {
  readonly code = 'idempotency_conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly kind: 'task' | 'orchestration',
    readonly existingId: number,
    /** The request's fields that differ from the stored ones, e.g. `execution_prompt`, `tasks[1].model`. */
    readonly fields: readonly string[],
  ) {
    super(
      `This idempotency key was already used for ${kind} ${existingId}, which differs in ${fields.join(', ')}. ` +
        `Nothing was stored. Send the same request to get ${kind} ${existingId} back, or use a new key for a new ${kind}.`,
    );
    this.name = 'IdempotencyConflictError';
  }

  override toJSON(): { code: 'idempotency_conflict'; message: string; issues: readonly ValidationIssue[] } {
    const issues = this.fields.map((field) => ({ field, message: `differs from ${this.kind} ${this.existingId}` }));
    return { code: this.code, message: this.message, issues };
  }
}

export class UnauthorizedError extends ClaudeWorkerError {
  readonly code = 'unauthorized' as const;
  readonly httpStatus = 401;

  constructor(message = 'Missing or wrong bearer token. Send "Authorization: Bearer $CLAUDE_WORKER_TOKEN".') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends ClaudeWorkerError {
  readonly code = 'forbidden' as const;
  readonly httpStatus = 403;

  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * A write failed because the disk is full. Nothing of the request was
 * stored; the same request succeeds once there is room again, without a
 * restart.
 */
export class DiskFullError extends ClaudeWorkerError {
  readonly code = 'disk_full' as const;
  readonly httpStatus = 507;

  /** `where`: what could not be written, e.g. `the SQLite database /srv/tasks.db`. */
  constructor(
    readonly where: string,
    cause?: unknown,
  ) {
    super(`The disk holding ${where} is full, so nothing was stored. Free some space on it and try again.`, { cause });
    this.name = 'DiskFullError';
  }
}

/** The server could not be reached (client side). */
export class ServerUnreachableError extends ClaudeWorkerError {
  readonly code = 'server_unreachable' as const;
  readonly httpStatus = 503;

  constructor(
    readonly url: string,
    cause?: unknown,
  ) {
    super(`No claude-worker server answers at ${url}. Start one with: claude-worker server start`, { cause });
    this.name = 'ServerUnreachableError';
  }
}

/**
 * The database could not be reached or opened (PostgreSQL down or cut off,
 * a SQLite file that is locked or cannot be opened). The store raises it
 * when it could not get a connection or lock, so the request changed
 * nothing and may simply be sent again.
 */
export class StoreUnavailableError extends ClaudeWorkerError {
  readonly code = 'store_unavailable' as const;
  readonly httpStatus = 503;

  constructor(
    /** The database as it may be shown: a PostgreSQL URL without its password, or a file path. */
    readonly database: string,
    /** What went wrong, e.g. `connect ECONNREFUSED 127.0.0.1:5432`. */
    reason: string,
    /** What to check, e.g. whether the server runs. */
    hint: string,
    cause?: unknown,
    /**
     * Whether the request's write surely did not happen. A connection cut
     * under a statement may have lost the answer to a commit that went
     * through: then the message says to read back before sending again.
     */
    stored: 'nothing' | 'unknown' = 'nothing',
  ) {
    const outcome =
      stored === 'nothing'
        ? 'nothing was stored'
        : 'the connection was cut during the request, so it may or may not have been stored: read it back before sending it again';
    super(`The database ${database} cannot be reached (${reason}); ${outcome}. ${hint}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** An error reported by a remote server that has no more specific class here. */
export class RemoteError extends ClaudeWorkerError {
  readonly httpStatus: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    httpStatus: number,
  ) {
    super(message);
    this.name = 'RemoteError';
    this.httpStatus = httpStatus;
  }
}
