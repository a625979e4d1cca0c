/**
 * The typed client of a claude-worker server: the same operations as the
 * REST API, with failures as the typed errors of core/errors (a ValidationError
 * carries every issue the server listed). The CLI talks to servers only
 * through it.
 */
import { httpUrlProblem, loadConfig } from '../core/config.js';
import type { BoardPage, BoardQuery } from '../core/board.js';
import type { StateEvent } from '../core/events.js';
import { RemoteError, ServerUnreachableError, UnauthorizedError, ValidationError } from '../core/errors.js';
import type { CreateOrchestrationInput, ListOrchestrationsQuery } from '../core/orchestration-schemas.js';
import type { OrchestrationDetail, OrchestrationPage } from '../core/orchestration.js';
import { DIFF_TOTAL_BYTES_HEADER, DIFF_TRUNCATED_HEADER } from '../core/diff-headers.js';
import type {
  DiscardInput,
  DiscardOutcome,
  MergeInput,
  MergeOutcome,
  OrchestrationMergeOutcome,
  TaskDiff,
  TaskDiffStat,
} from '../core/review.js';
import type { ContinueTaskInput, CreateTaskInput, Health, ListTasksQuery, QueueResume } from '../core/schemas.js';
import type { Task, TaskPage, WaitOutcome } from '../core/task.js';
import type { UsageQuery, UsageReport } from '../core/usage.js';
import type { WorkerList } from '../core/worker.js';
import { errorFromBody, parseJson } from './error-body.js';
import type { FetchLike, FetchResponse } from './fetch-like.js';
import { followStream } from './event-stream.js';
import type {
  DiffOptions,
  EventsOptions,
  LogsOptions,
  SubmitOrchestrationResult,
  SubmitResult,
  TaskService,
} from '../service/task-service.js';

export type { FetchLike, FetchResponse } from './fetch-like.js';

export interface ClaudeWorkerClientOptions {
  /** Server URL; default `CLAUDE_WORKER_SERVER_URL`, else http://127.0.0.1:8000. */
  baseUrl?: string;
  /** Bearer token; default `CLAUDE_WORKER_TOKEN`; null sends none. */
  token?: string | null;
  /**
   * Where `token` came from, as the error for a refused token names it; by
   * default `CLAUDE_WORKER_TOKEN` when the token is read from there, else
   * "the client's token option".
   */
  tokenSource?: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
}

interface RequestOptions {
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
  /** The task the request is about, for TaskNotFoundError. */
  taskId?: number;
  /** The orchestration the request is about, for OrchestrationNotFoundError. */
  orchestrationId?: number;
}

export class ClaudeWorkerClient implements TaskService {
  readonly baseUrl: string;
  private readonly token: string | null;
  /** Where the token comes from, as the reader of an error knows it. */
  private readonly tokenSource: string;
  private readonly fetch: FetchLike;

  constructor(options: ClaudeWorkerClientOptions = {}) {
    const config = options.baseUrl === undefined || options.token === undefined ? loadConfig() : null;
    this.baseUrl = checkedBaseUrl(options.baseUrl ?? config!.serverUrl);
    this.token = options.token === undefined ? config!.token : options.token;
    this.tokenSource = options.tokenSource ?? (options.token === undefined ? 'CLAUDE_WORKER_TOKEN' : "the client's token option");
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async submit(input: CreateTaskInput): Promise<SubmitResult> {
    const response = await this.request('POST', '/api/v1/tasks', { body: input });
    return { task: await this.json<Task>(response), deduplicated: response.status === 200 };
  }

  async continueTask(taskId: number, input: ContinueTaskInput): Promise<Task> {
    return this.json<Task>(await this.request('POST', `${taskPath(taskId)}/continue`, { taskId, body: input }));
  }

  async get(taskId: number): Promise<Task> {
    return this.json<Task>(await this.request('GET', taskPath(taskId), { taskId }));
  }

  async list(query: ListTasksQuery = {}): Promise<TaskPage> {
    return this.json<TaskPage>(await this.request('GET', `/api/v1/tasks${searchOf(query)}`));
  }

  async board(query: BoardQuery = {}): Promise<BoardPage> {
    return this.json<BoardPage>(await this.request('GET', `/api/v1/board${searchOf(query)}`));
  }

  async cancel(taskId: number): Promise<Task> {
    return this.json<Task>(await this.request('POST', `${taskPath(taskId)}/cancel`, { taskId }));
  }

  async logs(taskId: number, options: LogsOptions = {}): Promise<string> {
    const search = options.tail === undefined ? '' : `?tail=${options.tail}`;
    const response = await this.request('GET', `${taskPath(taskId)}/logs${search}`, { taskId, accept: 'text/plain' });
    return response.text();
  }

  /** Summary log lines as they are written; ends when the task has ended, or quietly when `signal` aborts. */
  async *followLogs(taskId: number, signal?: AbortSignal): AsyncIterable<string> {
    const stream = followStream(
      {
        open: (connection) =>
          this.request('GET', `${taskPath(taskId)}/logs?follow=1`, { taskId, accept: 'text/event-stream', signal: connection }),
        baseUrl: this.baseUrl,
        what: `the log of task ${taskId} before the task ended`,
        context: { taskId },
        endEvent: 'end',
      },
      signal,
    );
    for await (const event of stream) yield event.data;
  }

  /**
   * The server's state changes as they happen (`GET /api/v1/events`). Ends
   * only when `signal` aborts; throws ServerUnreachableError when the
   * connection drops: call again with `after` set to the last id seen to
   * miss nothing. Running tasks' `task.progress` events (TASK_PROGRESS_EVENT)
   * come too: skip them to follow state changes only.
   */
  async *events(options: EventsOptions = {}, signal?: AbortSignal): AsyncIterable<StateEvent> {
    const query = options.after === undefined ? '' : `?after=${options.after}`;
    const stream = followStream(
      {
        open: (connection) => this.request('GET', `/api/v1/events${query}`, { accept: 'text/event-stream', signal: connection }),
        baseUrl: this.baseUrl,
        what: 'the event stream',
        context: {},
      },
      signal,
    );
    for await (const event of stream) yield JSON.parse(event.data) as StateEvent;
  }

  async waitForTasks(taskIds: readonly number[], timeoutSeconds: number, signal?: AbortSignal): Promise<WaitOutcome> {
    const response = await this.request('POST', '/api/v1/tasks/wait', {
      body: { task_ids: taskIds, timeout_seconds: timeoutSeconds },
      ...(signal ? { signal } : {}),
    });
    return this.json<WaitOutcome>(response);
  }

  async diff(taskId: number, options: DiffOptions = {}): Promise<TaskDiff> {
    const search = searchOf({ max_bytes: options.maxBytes });
    const response = await this.request('GET', `${taskPath(taskId)}/diff${search}`, { taskId, accept: 'text/plain' });
    const text = await response.text();
    return {
      text,
      truncated: response.headers.get(DIFF_TRUNCATED_HEADER) === 'true',
      total_bytes: Number(response.headers.get(DIFF_TOTAL_BYTES_HEADER) ?? Buffer.byteLength(text)),
    };
  }

  async diffStat(taskId: number): Promise<TaskDiffStat> {
    return this.json<TaskDiffStat>(await this.request('GET', `${taskPath(taskId)}/diff?stat=1`, { taskId }));
  }

  async merge(taskId: number, input: MergeInput = {}): Promise<MergeOutcome> {
    return this.json<MergeOutcome>(await this.request('POST', `${taskPath(taskId)}/merge`, { taskId, body: input }));
  }

  async mergeOrchestration(orchestrationId: number, input: MergeInput = {}): Promise<OrchestrationMergeOutcome> {
    return this.json<OrchestrationMergeOutcome>(
      await this.request('POST', `${orchestrationPath(orchestrationId)}/merge`, { orchestrationId, body: input }),
    );
  }

  async discard(taskId: number, input: DiscardInput = {}): Promise<DiscardOutcome> {
    return this.json<DiscardOutcome>(await this.request('POST', `${taskPath(taskId)}/discard`, { taskId, body: input }));
  }

  async worktree(taskId: number): Promise<{ path: string }> {
    return this.json<{ path: string }>(await this.request('GET', `${taskPath(taskId)}/worktree`, { taskId }));
  }

  async submitOrchestration(input: CreateOrchestrationInput): Promise<SubmitOrchestrationResult> {
    const response = await this.request('POST', '/api/v1/orchestrations', { body: input });
    return { orchestration: await this.json<OrchestrationDetail>(response), deduplicated: response.status === 200 };
  }

  async getOrchestration(orchestrationId: number): Promise<OrchestrationDetail> {
    return this.json<OrchestrationDetail>(await this.request('GET', orchestrationPath(orchestrationId), { orchestrationId }));
  }

  async listOrchestrations(query: ListOrchestrationsQuery = {}): Promise<OrchestrationPage> {
    return this.json<OrchestrationPage>(await this.request('GET', `/api/v1/orchestrations${searchOf(query)}`));
  }

  async cancelOrchestration(orchestrationId: number): Promise<OrchestrationDetail> {
    return this.json<OrchestrationDetail>(
      await this.request('POST', `${orchestrationPath(orchestrationId)}/cancel`, { orchestrationId }),
    );
  }

  async health(): Promise<Health> {
    // Who answered is checked, the fields are trusted like every other reply's:
    // zod (healthSchema) would be the largest part of what the CLI loads.
    const body = await this.json<Partial<Health> | null>(await this.request('GET', '/health'));
    if (body?.service !== 'claude-worker' || body.status !== 'healthy') throw this.notClaudeWorker(200);
    // Servers of older versions send no warnings and no pause.
    return {
      ...body,
      warnings: body.warnings ?? [],
      paused_until: body.paused_until ?? null,
      pause_reason: body.pause_reason ?? null,
    } as Health;
  }

  async workers(): Promise<WorkerList> {
    const list = await this.json<WorkerList>(await this.request('GET', '/api/v1/workers'));
    // Servers of older versions send no pause.
    return { ...list, queue_pause: list.queue_pause ?? null };
  }

  async resumeQueue(): Promise<QueueResume> {
    return this.json<QueueResume>(await this.request('POST', '/api/v1/queue/resume'));
  }

  async usage(query: UsageQuery = {}): Promise<UsageReport> {
    return this.json<UsageReport>(await this.request('GET', `/api/v1/usage${searchOf(query)}`));
  }

  private async request(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<FetchResponse> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: FetchResponse;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ServerUnreachableError(this.baseUrl, error);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const error = errorFromBody(response.status, parseJson(text), options) ?? this.notClaudeWorker(response.status, text);
    throw error instanceof UnauthorizedError ? this.tokenRefused() : error;
  }

  /** The server's 401 tells an HTTP client which header to send; a client's user sets a variable or an option instead. */
  private tokenRefused(): UnauthorizedError {
    const what = this.token === null ? 'requires a token' : 'refused the token';
    return new UnauthorizedError(
      `The server at ${this.baseUrl} ${what}: set ${this.tokenSource} to the token the server was started with.`,
    );
  }

  private async json<T>(response: FetchResponse): Promise<T> {
    const text = await response.text();
    const body = parseJson(text);
    if (body === undefined) throw this.notClaudeWorker(response.status, text);
    return body as T;
  }

  private notClaudeWorker(status: number, text = ''): RemoteError {
    const excerpt = text.trim().slice(0, 200);
    return new RemoteError(
      'server_error',
      `${this.baseUrl} answered HTTP ${status} but not like a claude-worker server${excerpt ? `: ${excerpt}` : ''}`,
      status,
    );
  }
}

function checkedBaseUrl(baseUrl: string): string {
  const problem = httpUrlProblem(baseUrl);
  if (problem !== null) throw new ValidationError([{ field: 'baseUrl', message: problem }]);
  return baseUrl.replace(/\/+$/, '');
}

function taskPath(taskId: number): string {
  return `/api/v1/tasks/${encodeURIComponent(String(taskId))}`;
}

function orchestrationPath(orchestrationId: number): string {
  return `/api/v1/orchestrations/${encodeURIComponent(String(orchestrationId))}`;
}

/** `?name=value&...` of the parameters that are set; empty when none is. */
function searchOf(query: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return params.size > 0 ? `?${params}` : '';
}
