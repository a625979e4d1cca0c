import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../src/core/task.js';
import { SqliteContext } from '../../src/store/sqlite/context.js';
import { DatabaseVersionError } from '../../src/store/migration.js';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.js';
import { openDatabase } from '../../src/store/sqlite/open.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { runClaimProcesses } from '../support/claim-processes.js';
import { claimTask, enqueueTask, runningTask, taskSpec, WORKER_A } from './contract/fixture.js';
import { describeTaskStoreContract } from './task-store-contract.js';

const START = Date.UTC(2026, 0, 1);

function manualClock() {
  let now = START;
  return {
    now: () => now,
    advance: async (ms: number) => {
      now += ms;
    },
  };
}

describeTaskStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-store-'));
  const clock = manualClock();
  const store = await openSqliteStore(join(dir, 'tasks.db'), { clock: clock.now });
  return {
    store,
    clock,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite task store', () => {
  let dir: string;
  let dbPath: string;
  const opened: { close(): unknown }[] = [];
  const track = <T extends { close(): unknown }>(handle: T): T => {
    opened.push(handle);
    return handle;
  };
  const open = async (clock = manualClock()) => track(await openSqliteStore(dbPath, { clock: clock.now }));
  const openRaw = () => track(new Database(dbPath));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cw-sqlite-'));
    dbPath = join(dir, 'tasks.db');
  });
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens connections in WAL mode with synchronous=FULL, a busy timeout and foreign keys', () => {
    const db = track(openDatabase(dbPath));
    const pragma = (name: string) => db.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(2); // FULL
    expect(pragma('busy_timeout')).toBe(5000);
    expect(pragma('foreign_keys')).toBe(1);
  });

  it('skips the fsync only inside relaxed writes, and restores FULL even when one throws', () => {
    const db = track(openDatabase(dbPath));
    const ctx = new SqliteContext(db, Date.now);
    const synchronous = () => db.pragma('synchronous', { simple: true });
    expect(ctx.relaxed(synchronous)).toBe(1); // NORMAL
    expect(synchronous()).toBe(2);
    expect(() =>
      ctx.relaxed(() => {
        throw new Error('statement failed');
      }),
    ).toThrow('statement failed');
    expect(synchronous()).toBe(2);
  });

  it('creates missing parent directories private to their owner', async () => {
    dbPath = join(dir, 'home', 'nested', 'tasks.db');
    await open();
    expect((await stat(join(dir, 'home'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'home', 'nested'))).mode & 0o777).toBe(0o700);
  });

  it('a file that cannot be opened is a StoreUnavailableError that names it', async () => {
    // A directory where the file should be: SQLite cannot open it.
    await expect(openSqliteStore(dir)).rejects.toMatchObject({
      code: 'store_unavailable',
      httpStatus: 503,
      message: expect.stringMatching(
        new RegExp(`^The database ${dir} cannot be reached \\(SQLITE_CANTOPEN: .*\\); nothing was stored\\. Check that the file`),
      ),
    });
  });

  it('migrates a new file to the latest version, and reopening a migrated file changes nothing', async () => {
    await (await open()).close();
    const schema = () => openRaw().prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const before = schema();
    expect(openRaw().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);

    await (await open()).close();
    expect(schema()).toEqual(before);
    expect(openRaw().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('applies only the steps a file has not run yet', () => {
    const db = openRaw();
    expect(migrate(db)).toBe(MIGRATIONS.length);
    // Re-running an applied step would fail: its CREATE TABLE statements already ran.
    const next = [...MIGRATIONS, { name: 'labels', sql: 'CREATE TABLE task_labels (task_id INTEGER, label TEXT)' }];
    expect(migrate(db, next)).toBe(next.length);
    expect(migrate(db, next)).toBe(next.length);
    expect(db.pragma('user_version', { simple: true })).toBe(next.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'task_labels'").get()).toBeDefined();
  });

  it('brings a file of the first version up to date: its tasks require no labels and are claimed', async () => {
    const db = openRaw();
    migrate(db, MIGRATIONS.slice(0, 1));
    const { id } = db
      .prepare(
        `INSERT INTO tasks (status, execution_prompt, working_directory, permission_mode, timeout_seconds, max_attempts, created_at, run_at)
         VALUES ('pending', 'from version 1', '/srv/project', 'acceptEdits', 60, 3, 1, 1) RETURNING id`,
      )
      .get() as { id: number };
    const store = await open();
    expect((await store.get(id))!.required_labels).toEqual({});
    expect((await claimTask(store)).task.id).toBe(id);
    expect(await store.listWorkers()).toEqual([]);
  });

  it('rebuilds the tasks table for orchestrations keeping every task, its labels, attempts, log and lease', async () => {
    const db = openRaw();
    migrate(db, MIGRATIONS.slice(0, -1));
    const { id } = db
      .prepare(
        `INSERT INTO tasks (status, execution_prompt, working_directory, permission_mode, timeout_seconds, max_attempts,
                            created_at, run_at, started_at, attempts, lease_owner, lease_token, lease_expires_at, required_labels)
         VALUES ('running', 'Before the upgrade', '/srv/project', 'acceptEdits', 60, 3, 1, 1, 2, 1, @owner, 'token-1', @expires, '{"gpu":"true"}')
         RETURNING id`,
      )
      .get({ owner: WORKER_A.id, expires: Date.now() + 60_000 }) as { id: number };
    db.prepare(
      `INSERT INTO task_attempts (task_id, attempt, lease_token, worker_id, host, boot_id, worker_pid, started_at)
       VALUES (?, 1, 'token-1', ?, ?, ?, ?, 2)`,
    ).run(id, WORKER_A.id, WORKER_A.host, WORKER_A.bootId, WORKER_A.pid);
    db.prepare(`INSERT INTO task_log_lines (task_id, at_ms, line) VALUES (?, 3, '=== attempt 1')`).run(id);

    const upgraded = await open();
    expect(await upgraded.get(id)).toMatchObject({
      status: 'running',
      required_labels: { gpu: 'true' },
      orchestration_id: null,
      identifier: null,
      lease_owner: WORKER_A.id,
    });
    expect(await upgraded.runningAttemptsOnHost(WORKER_A.host)).toHaveLength(1);
    expect((await upgraded.readLog(id, { tail: 5 })).map((line) => line.text)).toEqual(['=== attempt 1']);
    expect(await upgraded.complete({ taskId: id, token: 'token-1' }, { final_summary: 'done', ...emptyRunStats() })).toBe(true);
    expect(openRaw().pragma('foreign_key_check')).toEqual([]);
    expect(openRaw().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('refuses a file written by a newer version', async () => {
    openRaw().pragma(`user_version = ${MIGRATIONS.length + 1}`);
    await expect(openSqliteStore(dbPath)).rejects.toBeInstanceOf(DatabaseVersionError);
  });

  it('keeps tasks, leases and attempts across close and reopen', async () => {
    const first = await open();
    const done = await runningTask(first);
    await first.recordProgress(done.lease, { last_action_cache: '[Edit] a.ts' });
    await first.complete(done.lease, {
      ...emptyRunStats(),
      final_summary: 'ok',
      usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 },
    });
    const running = await runningTask(first);
    await first.recordSpawn(running.lease, { pid: 77, pgid: 77, procStartTime: '5' });
    const saved = await first.list({ limit: 10 });
    const attempts = await first.runningAttemptsOnHost(WORKER_A.host);
    await first.close();

    const second = await open();
    expect(await second.list({ limit: 10 })).toEqual(saved);
    expect(await second.runningAttemptsOnHost(WORKER_A.host)).toEqual(attempts);
    expect(await second.heartbeat([running.lease], 1000)).toEqual([
      { taskId: running.lease.taskId, owned: true, cancelRequested: false },
    ]);
  });

  it('rejects a row that is running without a lease token, or holds one while not running', async () => {
    const store = await open();
    const { lease } = await runningTask(store);
    const pending = await enqueueTask(store);
    const db = openRaw();
    expect(() => db.prepare("UPDATE tasks SET status = 'running' WHERE id = ?").run(pending)).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE tasks SET status = 'completed' WHERE id = ?").run(lease.taskId)).toThrow(/CHECK constraint/);
  });

  it('takes every time it writes from the injected clock', async () => {
    const clock = manualClock();
    const store = await open(clock);
    const { task } = await store.enqueue(taskSpec());
    expect(task.created_at).toBe(START);
    expect(task.run_at).toBe(START);

    await clock.advance(1000);
    const claimed = await claimTask(store, WORKER_A, 30_000);
    expect(claimed.task.started_at).toBe(START + 1000);
    expect(claimed.task.lease_expires_at).toBe(START + 31_000);

    await clock.advance(1000);
    await store.heartbeat([claimed.lease], 30_000);
    expect((await store.get(task.id))!.lease_expires_at).toBe(START + 32_000);

    await store.fail(claimed.lease, { error_code: 'crashed', error_message: 'exit 1' }, 5000);
    expect((await store.get(task.id))!.run_at).toBe(START + 7000);

    await clock.advance(5000);
    const retry = await claimTask(store, WORKER_A, 30_000);
    await clock.advance(500);
    await store.complete(retry.lease, { final_summary: 'ok', ...emptyRunStats() });
    expect((await store.get(task.id))!.ended_at).toBe(START + 7500);
  });

  it('claims tasks enqueued at the same instant in id order', async () => {
    const store = await open();
    const ids = [await enqueueTask(store), await enqueueTask(store), await enqueueTask(store)];
    const order: number[] = [];
    for (const _ of ids) order.push((await claimTask(store)).task.id);
    expect(order).toEqual(ids);
  });

  it('gives a released task back the start time of its previous attempt', async () => {
    const clock = manualClock();
    const store = await open(clock);
    const first = await runningTask(store);
    await store.fail(first.lease, { error_code: 'crashed', error_message: 'exit 1' }, 0);
    await clock.advance(1000);
    const second = await claimTask(store);
    expect(second.task.started_at).toBe(START + 1000);

    await store.release(second.lease);
    expect(await store.get(first.lease.taskId)).toMatchObject({ attempts: 1, started_at: START });
    await store.complete((await claimTask(store)).lease, { final_summary: 'ok', ...emptyRunStats() });
    const onlyReleased = await runningTask(store);
    await store.release(onlyReleased.lease);
    expect(await store.get(onlyReleased.lease.taskId)).toMatchObject({ attempts: 0, started_at: null });
  });

  it('deletes the attempts of pruned tasks with them', async () => {
    const clock = manualClock();
    const store = await open(clock);
    const { lease } = await runningTask(store);
    await store.complete(lease, { final_summary: 'ok', ...emptyRunStats() });
    const attempts = () => openRaw().prepare('SELECT count(*) AS n FROM task_attempts').get() as { n: number };
    expect(attempts().n).toBe(1);

    await clock.advance(2000);
    expect(await store.prune({ finishedMaxAgeMs: 1000, failedMaxAgeMs: 1000 }, 10)).toBe(1);
    expect(attempts().n).toBe(0);
  });

  it('never lets two processes claim the same task', async () => {
    // Three processes create the file at once (racing the migration), enqueue
    // 20 tasks each and claim until the queue is empty.
    const reports = await runClaimProcesses({ dbPath, processes: 3, tasksPerProcess: 20, home: dir });

    const all = reports.flatMap((r) => r.claimed);
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    const store = await open();
    expect(await store.countByStatus()).toMatchObject({ completed: 60, pending: 0, running: 0 });
    expect(openRaw().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // More than one process got work, so the claims did race.
    expect(reports.filter((r) => r.claimed.length > 0).length).toBeGreaterThan(1);
  });
});
