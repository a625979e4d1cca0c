import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeDatabase, isPostgresUrl } from '../../src/core/config.js';
import { DiskFullError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { DatabaseVersionError } from '../../src/store/migration.js';
import { MIGRATIONS, migrate } from '../../src/store/postgres/migrations.js';
import { PostgresContext } from '../../src/store/postgres/pool.js';
import {
  openPostgresStore,
  PostgresDatabase,
  type PostgresStoreOptions,
  type PostgresTaskStore,
} from '../../src/store/postgres/postgres-database.js';
import { SqliteDatabase, type SqliteTaskStore } from '../../src/store/sqlite/sqlite-database.js';
import type { ClaimedTask, TaskStore } from '../../src/store/task-store.js';
import { startPostgresCluster, TestDatabase, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import { claimTask, enqueueTask, LEASE_MS, runningTask, workerOn } from './contract/fixture.js';
import { describeTaskStoreContract } from './task-store-contract.js';

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Far beyond any test's timeout: a wait that resolves did so because of a hint, not the backstop. */
const NEVER_MS = 60 * 60 * 1000;

const quiet: PostgresStoreOptions = { warn: () => undefined };

let cluster: PostgresCluster;
let contractDb: TestDatabase;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  contractDb = new TestDatabase(cluster.url);
});

afterAll(async () => {
  await contractDb?.close();
  await cluster?.stop();
});

// One database for the whole contract suite, emptied before each test: a new
// database per test would cost ~150 ms each.
describeTaskStoreContract('PostgreSQL', async () => {
  const store = await openPostgresStore(cluster.url, quiet);
  await contractDb.empty();
  return {
    store,
    clock: { advance: (ms) => contractDb.advanceClock(ms) },
    cleanup: () => store.close(),
  };
});

describe('PostgreSQL task store', () => {
  const closers: (() => Promise<void>)[] = [];
  const track = <T extends TaskStore>(store: T): T => {
    closers.push(() => store.close());
    return store;
  };
  /** Several stores on one database stand in for several nodes. */
  const openNode = async (url: string, options = quiet) => track(await openPostgresStore(url, options));
  /** A connection of the test's own, to look at and tamper with the database behind the store's back. */
  const admin = (url: string): pg.Pool => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => undefined); // its idle connection may be terminated with the others
    closers.push(() => pool.end());
    return pool;
  };

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("refuses writes while the database server's disk is full, saying so, and takes them again once there is room", async () => {
    const url = await cluster.createDatabase();
    const store = await openNode(url);
    const db = admin(url);
    // The error PostgreSQL raises when it cannot extend a file, raised on demand.
    await db.query(`CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`);
    await db.query('CREATE TRIGGER disk_full BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION disk_full()');

    const refused = await enqueueTask(store).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiskFullError);
    expect((refused as DiskFullError).message).toBe(
      `The disk holding the PostgreSQL database ${describeDatabase(url)} is full, so nothing was stored. Free some space on it and try again.`,
    );
    expect(await store.countByStatus()).toMatchObject({ pending: 0 });

    await db.query('DROP TRIGGER disk_full ON tasks');
    expect((await store.get(await enqueueTask(store)))?.status).toBe('pending');
  });

  describe('migrations', () => {
    it('apply once when several nodes start on a new database at the same time', async () => {
      const url = await cluster.createDatabase();
      const nodes = await Promise.all([openNode(url), openNode(url), openNode(url), openNode(url)]);

      const db = admin(url);
      const { rows } = await db.query('SELECT version, name FROM claude_worker_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((step, index) => ({ version: index + 1, name: step.name })));
      const id = await enqueueTask(nodes[0]);
      expect((await nodes[3].get(id))?.status).toBe('pending');
    });

    it('apply only the steps a database has not run yet', async () => {
      const url = await cluster.createDatabase();
      const pool = admin(url);
      const ctx = new PostgresContext(pool, 'test');
      expect(await migrate(ctx)).toBe(MIGRATIONS.length);
      // Re-running an applied step would fail: its CREATE TABLE statements already ran.
      const next = [...MIGRATIONS, { name: 'labels', sql: 'CREATE TABLE task_labels (task_id bigint, label text)' }];
      expect(await migrate(ctx, next)).toBe(next.length);
      expect(await migrate(ctx, next)).toBe(next.length);
      const { rows } = await pool.query(`SELECT max(version) AS version, to_regclass('task_labels') IS NOT NULL AS labels
                                           FROM claude_worker_migrations`);
      expect(rows[0]).toEqual({ version: next.length, labels: true });
    });

    it('bring a database of the first version up to date: its tasks require no labels and are claimed', async () => {
      const url = await cluster.createDatabase();
      const pool = admin(url);
      await migrate(new PostgresContext(pool, 'test'), MIGRATIONS.slice(0, 1));
      const { rows } = await pool.query(`
        INSERT INTO tasks (status, execution_prompt, working_directory, permission_mode, timeout_seconds, max_attempts, created_at, run_at)
        VALUES ('pending', 'from version 1', '/srv/project', 'acceptEdits', 60, 3, now(), now()) RETURNING id::int`);
      const store = await openNode(url);
      expect((await store.get(rows[0].id))!.required_labels).toEqual({});
      expect((await claimTask(store)).task.id).toBe(rows[0].id);
      expect(await store.listWorkers()).toEqual([]);
    });

    it('refuse a database migrated by a newer version', async () => {
      const url = await cluster.createDatabase();
      await (await openPostgresStore(url, quiet)).close();
      const db = admin(url);
      await db.query(`INSERT INTO claude_worker_migrations (version, name) VALUES ($1, 'from the future')`, [
        MIGRATIONS.length + 1,
      ]);
      await expect(openPostgresStore(url, quiet)).rejects.toBeInstanceOf(DatabaseVersionError);
    });

    it('reject a row that is running without a lease token, or holds one while not running', async () => {
      const url = await cluster.createDatabase();
      const store = await openNode(url);
      const { lease } = await runningTask(store);
      const pending = await enqueueTask(store);
      const db = admin(url);
      await expect(db.query("UPDATE tasks SET status = 'running' WHERE id = $1", [pending])).rejects.toThrow(/check constraint/);
      await expect(db.query("UPDATE tasks SET status = 'completed' WHERE id = $1", [lease.taskId])).rejects.toThrow(
        /check constraint/,
      );
    });
  });

  it('never lets two nodes claim the same task', async () => {
    const url = await cluster.createDatabase();
    const nodes = await Promise.all([openNode(url), openNode(url), openNode(url), openNode(url)]);
    for (let i = 0; i < 100; i++) await enqueueTask(nodes[i % 4]!, { execution_prompt: `task ${i}` });

    // Every node runs three claim loops at once until the queue is empty.
    const claimedBy = await Promise.all(
      nodes.map(async (node, n) => {
        const loop = async (slot: number) => {
          const claimed: ClaimedTask[] = [];
          for (let next; (next = await node.claim(workerOn(`node-${n}`, `slot-${slot}`), LEASE_MS));) claimed.push(next);
          return claimed;
        };
        return (await Promise.all([loop(1), loop(2), loop(3)])).flat();
      }),
    );

    const ids = claimedBy.flat().map((claimed) => claimed.task.id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    expect(await nodes[0].countByStatus()).toMatchObject({ pending: 0, running: 100 });
    // More than one node got work, so the claims did race.
    expect(claimedBy.filter((claimed) => claimed.length > 0).length).toBeGreaterThan(1);
  });

  it('finds nothing, rather than failing, for an id no bigint row can have', async () => {
    const store = await openNode(cluster.url);
    expect(await store.get(1e20)).toBeNull();
    expect(await store.get(1.5)).toBeNull();
    expect(await store.requestCancel(1e20)).toBeNull();
  });

  describe('hints between nodes', () => {
    it('wake a node waiting for work when another node enqueues', async () => {
      const url = await cluster.createDatabase();
      const [waiter, submitter] = await Promise.all([openNode(url), openNode(url)]);
      const woken = waiter.waitForWork(new AbortController().signal, NEVER_MS);
      await enqueueTask(submitter);
      await woken;
    });

    it('wake a node waiting for work when another node releases or retries a task', async () => {
      const url = await cluster.createDatabase();
      const [waiter, runner] = await Promise.all([openNode(url), openNode(url)]);
      await enqueueTask(runner);
      await enqueueTask(runner);
      const released = await claimTask(runner);
      const failed = await claimTask(runner);

      const afterRelease = waiter.waitForWork(new AbortController().signal, NEVER_MS);
      await runner.release(released.lease);
      await afterRelease;
      const afterRetry = waiter.waitForWork(new AbortController().signal, NEVER_MS);
      await runner.fail(failed.lease, { error_code: 'crashed', error_message: 'exit 1' }, 0);
      await afterRetry;
    });

    it('tell the node running a task that another node asked to cancel it, once', async () => {
      const url = await cluster.createDatabase();
      const [runner, canceller] = await Promise.all([openNode(url), openNode(url)]);
      const heard: number[] = [];
      const heardTwo = new Promise<void>((resolve) =>
        runner.onCancelRequested((taskId) => {
          heard.push(taskId);
          if (heard.length === 2) resolve();
        }),
      );
      const own = await runningTask(runner);
      const remote = await runningTask(runner);

      await runner.requestCancel(own.lease.taskId);
      await canceller.requestCancel(remote.lease.taskId);
      await heardTwo;
      // The runner's own request was signalled in-process; its NOTIFY, delivered
      // before the other node's, was recognised and not heard a second time.
      expect(heard).toEqual([own.lease.taskId, remote.lease.taskId]);
    });
  });

  describe('lost connections', () => {
    it('reconnect the listener after its connection is terminated, and hear other nodes again', async () => {
      const url = await cluster.createDatabase();
      const warnings: string[] = [];
      const waiter = await openNode(url, { warn: (message) => warnings.push(message) });
      const submitter = await openNode(url);
      const first = waiter.database.listenerProcessId;
      expect(first).toEqual(expect.any(Number));

      const db = admin(url);
      expect((await db.query('SELECT pg_terminate_backend($1) AS ok', [first])).rows[0]).toEqual({ ok: true });
      await waitFor(() => waiter.database.listenerProcessId !== null && waiter.database.listenerProcessId !== first, {
        what: 'the listener to reconnect',
      });
      expect(warnings.join('\n')).toMatch(/notification connection was lost/);

      const woken = waiter.waitForWork(new AbortController().signal, NEVER_MS);
      await enqueueTask(submitter);
      await woken;
    });

    it('replace pooled connections the server closed, without failing the process', async () => {
      const url = await cluster.createDatabase();
      const warnings: string[] = [];
      const store = await openNode(url, { warn: (message) => warnings.push(message) });
      const id = await enqueueTask(store);

      const db = admin(url);
      const { rows } = await db.query(
        `SELECT count(pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(rows[0].terminated).toBeGreaterThanOrEqual(2); // a pooled connection and the listener

      // Unhandled, the idle connection's error would have ended this process.
      await waitFor(() => warnings.some((warning) => warning.includes('pooled database connection failed')), {
        what: 'the pool to notice its idle connection was closed',
      });
      expect((await store.get(id))?.status).toBe('pending');
      await waitFor(() => store.database.listenerProcessId !== null, { what: 'the listener to reconnect' });
    });
  });

  describe('transactions', () => {
    it('run again when PostgreSQL aborts one of them to break a deadlock, so both succeed', async () => {
      const url = await cluster.createDatabase();
      const store = await openNode(url);
      const [first, second] = [await enqueueTask(store), await enqueueTask(store)];
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      closers.push(() => pool.end());
      const ctx = new PostgresContext(pool, 'test');

      // Each locks one row, waits until the other holds its own, then asks for the other's: a deadlock.
      const holding = [signal(), signal()];
      const runs = [0, 0];
      const lockBoth = (index: 0 | 1, mine: number, theirs: number) =>
        ctx.transaction(async (tx) => {
          runs[index]! += 1;
          await tx.rows('SELECT id FROM tasks WHERE id = @id FOR UPDATE', { id: mine });
          holding[index]!.resolve();
          await holding[1 - index]!.promise;
          await tx.rows('SELECT id FROM tasks WHERE id = @id FOR UPDATE', { id: theirs });
          return index;
        });

      expect(await Promise.all([lockBoth(0, first, second), lockBoth(1, second, first)])).toEqual([0, 1]);
      // At least one of them (PostgreSQL picks which) ran again; how often a
      // loaded machine makes them meet again is up to its scheduler.
      expect(runs[0]! + runs[1]!).toBeGreaterThanOrEqual(3);
    });
  });

  describe('openStore', () => {
    it('opens PostgreSQL for a postgres:// or postgresql:// URL and SQLite for anything else', async () => {
      expect(isPostgresUrl('postgres://db.example/tasks')).toBe(true);
      expect(isPostgresUrl('postgresql://user@db.example:5433/tasks')).toBe(true);
      expect(isPostgresUrl('/var/lib/claude-worker/tasks.db')).toBe(false);
      expect(isPostgresUrl('./postgres/tasks.db')).toBe(false);

      const postgres = track(await openStore(cluster.url.replace(/^postgres:/, 'postgresql:'), quiet));
      expect((postgres as PostgresTaskStore).database).toBeInstanceOf(PostgresDatabase);
      const dir = await mkdtemp(join(tmpdir(), 'cw-open-store-'));
      try {
        const sqlite: TaskStore = await openStore(join(dir, 'tasks.db'));
        expect((sqlite as SqliteTaskStore).database).toBeInstanceOf(SqliteDatabase);
        await sqlite.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
