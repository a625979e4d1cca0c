/**
 * `GET /api/v1/tasks/:id/logs?follow=1` over a real socket: Server-Sent Events
 * of the summary log while the task runs, then `event: end` with its status.
 * The runner's part is played by hand: lines through TaskLogs' writer, states
 * through the store's transitions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError, TaskNotFoundError } from '../../src/core/errors.js';
import { emptyRunStats } from '../../src/core/task.js';
import type { TaskLogWriter } from '../../src/logs/task-logs.js';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { readServerSentEvents, type ServerSentEvent } from '../../src/client/sse.js';
import type { TaskService } from '../../src/service/task-service.js';
import type { Lease } from '../../src/store/task-store.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { waitFor } from '../support/wait.js';

let api: ApiFixture;
let url: string;
let client: ClaudeWorkerClient;

/** Tasks whose log the service is following right now. */
const followsRunning = new Set<number>();

beforeEach(async () => {
  api = await createApiFixture({ serve: observedFollows });
  url = await api.listen();
  client = new ClaudeWorkerClient({ baseUrl: url, token: null });
});

afterEach(async () => {
  await api.close();
});

/** The service, with its follows recorded in `followsRunning`. */
function observedFollows(service: TaskService): TaskService {
  return Object.assign(Object.create(service) as TaskService, {
    async *followLogs(taskId: number, signal?: AbortSignal) {
      followsRunning.add(taskId);
      try {
        yield* service.followLogs(taskId, signal);
      } finally {
        followsRunning.delete(taskId);
      }
    },
  });
}

async function runningTask(): Promise<{ id: number; lease: Lease; writer: TaskLogWriter }> {
  const { task } = await api.service.submit({ execution_prompt: 'Work', working_directory: api.dir });
  const { lease } = await api.claim();
  return { id: task.id, lease, writer: api.logs.openWriter(task.id) };
}

/** Collects lines from an async iterable, calling `onLine` after each. */
async function collect(
  lines: AsyncIterable<string>,
  onLine: (count: number) => void | Promise<void> = () => {},
): Promise<string[]> {
  const seen: string[] = [];
  for await (const line of lines) {
    seen.push(line.replace(/^\S+ /, ''));
    await onLine(seen.length);
  }
  return seen;
}

describe('following a log', () => {
  it('streams existing and new lines, then an end event with the final status', async () => {
    const { id, lease, writer } = await runningTask();
    writer.line('[Read] README.md');

    const response = await fetch(`${url}/api/v1/tasks/${id}/logs?follow=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(response.body!)) {
      events.push(event);
      if (events.length === 1) {
        writer.line('[Write] src/a.ts');
      } else if (events.length === 2) {
        writer.line('[assistant] Done.');
        await writer.close();
        await api.store.complete(lease, { ...emptyRunStats(), final_summary: 'Done.' });
      }
    }
    expect(events.map((e) => [e.event, e.data.replace(/^\S+ /, '')])).toEqual([
      ['message', '[Read] README.md'],
      ['message', '[Write] src/a.ts'],
      ['message', '[assistant] Done.'],
      ['end', '{"status":"completed"}'],
    ]);
  });

  it('through the client: yields lines as they are written and ends with the task', async () => {
    const { id, lease, writer } = await runningTask();
    writer.line('[Bash] ls');
    const lines = await collect(client.followLogs(id), async (count) => {
      if (count === 1) {
        writer.line('[assistant] Stopping.');
        await writer.close();
        await api.store.markCancelled(lease);
      }
    });
    expect(lines).toEqual(['[Bash] ls', '[assistant] Stopping.']);
    expect((await client.get(id)).status).toBe('cancelled');
  });

  it('ends at once for a task that has already ended', async () => {
    const { task } = await api.service.submit({ execution_prompt: 'x', working_directory: api.dir });
    await api.service.cancel(task.id);
    expect(await collect(client.followLogs(task.id))).toEqual([]);
  });

  it('answers 404 before streaming for an unknown task', async () => {
    const error = await collect(client.followLogs(404)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
  });

  it('stops the server-side follow when the client goes away', async () => {
    const { id, writer } = await runningTask();
    writer.line('[Read] a.ts');
    const stop = new AbortController();
    const lines = await collect(client.followLogs(id, stop.signal), () => stop.abort());
    expect(lines).toEqual(['[Read] a.ts']);
    await waitFor(() => !followsRunning.has(id), { what: 'the server to stop following' });
    await writer.close();
  });

  it('tells the client when the server shuts down, and does not hold the shutdown', async () => {
    const { id, writer } = await runningTask();
    writer.line('[Read] a.ts');
    let closing: Promise<void> | undefined;
    const error = await collect(client.followLogs(id), () => {
      closing = api.app.close();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'server_unreachable', message: expect.stringMatching(/shutting down/) });
    await closing;
    expect(followsRunning.has(id)).toBe(false);
    await writer.close();
  });
});
