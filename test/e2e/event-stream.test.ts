/**
 * `GET /api/v1/events` from a real server running the REAL Claude Code
 * binary against the loopback API stand-in: a task's changes show up while
 * they happen, and a client that reconnects with `Last-Event-ID` gets every
 * event it missed, in order.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from '../../src/client/sse.js';
import type { StateEvent } from '../../src/core/events.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

let home: string;
let project: string;
let api: FakeAnthropicApi;
let node: ServerProcess;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-events-'));
  project = join(home, 'project');
  await mkdir(project);
  // The model never answers: a task stays running until it is cancelled, so "live" is not a race.
  api = await startFakeAnthropicApi({ hang: true });
  node = await startServerProcess(
    { ...realClaudeEnv(api.url, home), CLAUDE_WORKER_HOME: join(home, 'worker'), CLAUDE_WORKER_ISOLATION: 'none' },
    { workers: 1 },
  );
});

afterAll(async () => {
  await node?.stop();
  await api?.close();
  await rm(home, { recursive: true, force: true });
});

/** Reads `stream` until `until` accepts an event; returns every event read. */
async function readUntil(stream: AsyncIterator<StateEvent>, until: (event: StateEvent) => boolean): Promise<StateEvent[]> {
  const read: StateEvent[] = [];
  for (;;) {
    const { value, done } = await stream.next();
    if (done) throw new Error(`the stream ended after ${JSON.stringify(read.map((event) => event.type))}`);
    read.push(value);
    if (until(value)) return read;
  }
}

/** The raw stream, as a browser's EventSource would open it. */
async function openRaw(headers: Record<string, string>, query = ''): Promise<AsyncGenerator<ServerSentEvent>> {
  const response = await fetch(`${node.url}/api/v1/events${query}`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  return readServerSentEvents(response.body!);
}

describe('GET /api/v1/events', () => {
  it("shows a task's changes while they happen, and a reconnect with Last-Event-ID misses nothing", async () => {
    const live = new AbortController();
    const stream = node.client.events({}, live.signal)[Symbol.asyncIterator]();
    // The stream starts at the next event: opened before the submit, it must see all of this task's.
    const opened = stream.next();
    const { task } = await node.client.submit({ execution_prompt: 'Look around the project', working_directory: project });
    const first = await opened;
    const seen = [first.value as StateEvent, ...(await readUntil(stream, (event) => event.type === 'task.running'))];
    expect(seen.map((event) => [event.type, event.task?.id])).toEqual([
      ['task.submitted', task.id],
      ['task.running', task.id],
    ]);
    // Live: the task is still running (its model never answers) when its running event arrives.
    expect((await node.client.get(task.id)).status).toBe('running');
    await api.waitForRequest();
    live.abort();

    // While nobody listens: the task is cancelled and another one submitted and cancelled before it starts.
    await node.client.cancel(task.id);
    // It requires a label this node lacks, so it is never claimed before its cancel.
    const { task: other } = await node.client.submit({
      execution_prompt: 'Then this',
      working_directory: project,
      required_labels: { gpu: 'true' },
    });
    await node.client.cancel(other.id);

    const lastSeen = seen.at(-1)!.id;
    const resumed = await openRaw({ 'last-event-id': String(lastSeen) });
    const missed: StateEvent[] = [];
    // The running task ends once its runner stopped the agent, which may come after the other one's events.
    const cancelledBoth = () =>
      [task.id, other.id].every((id) => missed.some((e) => e.type === 'task.cancelled' && e.task?.id === id));
    for await (const event of resumed) {
      const parsed = JSON.parse(event.data) as StateEvent;
      expect(event.id).toBe(String(parsed.id));
      missed.push(parsed);
      if (cancelledBoth()) break;
    }
    const byTask = (id: number) => missed.filter((event) => event.task?.id === id).map((event) => event.type);
    expect(byTask(task.id)).toEqual(['task.cancelled']);
    expect(byTask(other.id)).toEqual(['task.submitted', 'task.cancelled']);
    // In id order, starting right after the last one seen: the same as reading the outbox from there.
    const ids = missed.map((event) => event.id);
    expect(ids[0]).toBeGreaterThan(lastSeen);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const fromQuery = node.client.events({ after: lastSeen })[Symbol.asyncIterator]();
    const again = await readUntil(fromQuery, (event) => event.id === ids.at(-1));
    await fromQuery.return?.();
    expect(again.map((event) => event.id)).toEqual(ids);
  });

  it('refuses a Last-Event-ID or an after that is not an event id, with a 400', async () => {
    for (const [headers, query] of [
      [{ 'last-event-id': 'latest' }, ''],
      [{}, '?after=-1'],
      [{}, '?after=soon'],
    ] as const) {
      const response = await fetch(`${node.url}/api/v1/events${query}`, { headers });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('validation_failed');
    }
  });
});
