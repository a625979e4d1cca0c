import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskNotFoundError, ValidationError } from '../../src/core/errors.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { createLocalTaskService } from '../../src/service/local-task-service.js';
import type { TaskService } from '../../src/service/task-service.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';

let dir: string;
let store: TaskStore;
let logs: TaskLogs;
let service: TaskService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-service-'));
  store = await openSqliteStore(join(dir, 'tasks.db'));
  logs = new TaskLogs(join(dir, 'logs'), store);
  service = createLocalTaskService({
    store,
    logs,
    config: { concurrency: 3, permissionMode: 'acceptEdits', defaultTimeoutSeconds: 120, maxAttempts: 2 },
  });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function validationIssues(input: unknown): Promise<Record<string, string>> {
  const error = await service.submit(input as never).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return Object.fromEntries((error as ValidationError).issues.map((i) => [i.field, i.message]));
}

describe('submitting a task', () => {
  it('stores it pending with the configured defaults', async () => {
    const { task, deduplicated } = await service.submit({ execution_prompt: 'Fix ./src/a.ts', working_directory: dir });
    expect(deduplicated).toBe(false);
    expect(task).toMatchObject({
      status: 'pending',
      execution_prompt: 'Fix ./src/a.ts',
      working_directory: dir,
      permission_mode: 'acceptEdits',
      timeout_seconds: 120,
      max_attempts: 2,
      attempts: 0,
      final_summary: null,
    });
    expect(task.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await service.get(task.id)).toEqual(task);
  });

  it('reports every problem at once and stores nothing', async () => {
    const issues = await validationIssues({ working_directory: join(dir, 'missing'), max_turns: 'ten', colour: 'red' });
    expect(issues.execution_prompt).toBe('is required');
    expect(issues.working_directory).toMatch(/does not exist/);
    expect(issues.max_turns).toBeDefined();
    expect(issues.body).toMatch(/unknown field.*colour/);
    expect((await service.list()).tasks).toEqual([]);
  });

  it('rejects blank prompts, relative paths and files given as directories', async () => {
    const file = join(dir, 'a-file.txt');
    await writeFile(file, 'x');
    expect(await validationIssues({ execution_prompt: '   ', working_directory: file })).toEqual({
      execution_prompt: 'execution_prompt must not be empty',
      working_directory: `${file} is not a directory`,
    });
    expect((await validationIssues({ execution_prompt: 'x', working_directory: 'rel/path' })).working_directory).toMatch(
      /must be an absolute path/,
    );
  });

  it('returns the existing task for a repeated idempotency key', async () => {
    const input = { execution_prompt: 'once', working_directory: dir, idempotency_key: 'k-1' };
    const first = await service.submit(input);
    const again = await service.submit(input);
    expect(again.deduplicated).toBe(true);
    expect(again.task.id).toBe(first.task.id);
    expect((await service.list()).tasks).toHaveLength(1);
  });
});

describe('reading tasks', () => {
  it('pages newest first with a cursor and filters by status', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await service.submit({ execution_prompt: `t${i}`, working_directory: dir })).task.id);
    await service.cancel(ids[1]!);

    const first = await service.list({ limit: 2 });
    expect(first.tasks.map((t) => t.id)).toEqual([ids[4], ids[3]]);
    const second = await service.list({ limit: 2, cursor: first.next_cursor! });
    expect(second.tasks.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    const last = await service.list({ limit: 2, cursor: second.next_cursor! });
    expect(last.tasks.map((t) => t.id)).toEqual([ids[0]]);
    expect(last.next_cursor).toBeNull();

    expect((await service.list({ status: 'cancelled' })).tasks.map((t) => t.id)).toEqual([ids[1]]);
  });

  it('throws TaskNotFoundError for unknown ids on every operation', async () => {
    await expect(service.get(999)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(service.cancel(999)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(service.logs(999)).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('cancels a pending task at once', async () => {
    const { task } = await service.submit({ execution_prompt: 'x', working_directory: dir });
    const cancelled = await service.cancel(task.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.ended_at).not.toBeNull();
  });

  it('follows a log until the task ends, including lines written after it started following', async () => {
    const { task } = await service.submit({ execution_prompt: 'x', working_directory: join(dir) });
    await mkdir(logs.dir, { recursive: true });
    const writer = logs.openWriter(task.id);
    writer.line('first');
    await writer.close();

    const seen: string[] = [];
    const following = (async () => {
      for await (const line of service.followLogs(task.id)) seen.push(line.replace(/^\S+ /, ''));
    })();
    const later = logs.openWriter(task.id);
    later.line('second');
    await later.close();
    await service.cancel(task.id);
    await following;
    expect(seen).toEqual(['first', 'second']);
  });

  it('reports health with counts', async () => {
    await service.submit({ execution_prompt: 'x', working_directory: dir });
    expect(await service.health()).toMatchObject({
      status: 'healthy',
      service: 'claude-worker',
      max_concurrency: 3,
      pending: 1,
      running: 0,
    });
  });
});
