/**
 * A real PostgreSQL for tests: a throwaway cluster (`initdb` + `pg_ctl` on a
 * temp dir and a free loopback port), or the server named by
 * `CLAUDE_WORKER_TEST_PG_URL` when it is set. Each test file gets its own
 * databases, dropped (or the whole cluster removed) by `stop()`. When no
 * PostgreSQL can be had this throws: the PostgreSQL tests must run, never
 * skip.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresCluster {
  /** A database of its own for this test file. */
  url: string;
  /** Another new, empty database on the same server. */
  createDatabase(): Promise<string>;
  /** Stops the server (`pg_ctl stop -m fast`: connections are cut) and starts it again on the same port. */
  restartServer(options: { whileDown: () => Promise<unknown> }): Promise<void>;
  stop(): Promise<void>;
}

interface ServerHandle {
  adminUrl: string;
  restart?: (whileDown: () => Promise<unknown>) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * `throwaway: true` always starts a server of the test's own, even when
 * CLAUDE_WORKER_TEST_PG_URL names one: a test that stops the server must
 * not stop a shared one.
 */
export async function startPostgresCluster(options: { throwaway?: boolean } = {}): Promise<PostgresCluster> {
  const external = options.throwaway ? undefined : process.env.CLAUDE_WORKER_TEST_PG_URL;
  const server: ServerHandle = external ? { adminUrl: external, stop: async () => undefined } : await startThrowawayServer();
  const created: string[] = [];
  const createDatabase = async (): Promise<string> => {
    const name = `cw_test_${randomBytes(6).toString('hex')}`;
    await withAdmin(server.adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    created.push(name);
    return databaseUrl(server.adminUrl, name);
  };
  try {
    const url = await createDatabase();
    return {
      url,
      createDatabase,
      restartServer: async ({ whileDown }) => {
        if (!server.restart)
          throw new Error('only a throwaway server can be restarted: use startPostgresCluster({ throwaway: true })');
        await server.restart(whileDown);
      },
      stop: async () => {
        if (external) {
          await withAdmin(server.adminUrl, async (admin) => {
            for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          });
        }
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The store's bookkeeping of applied migrations: kept when a test database is emptied or its clock moved. */
const MIGRATIONS_TABLE = 'claude_worker_migrations';

/**
 * Test-side access to one store database: emptying it between tests, and
 * moving its clock. The store takes every time from the server's `now()`,
 * so "later" is made by shifting every stored time back instead: to the
 * store, a lease that expires in 10 s is the same as one that expired 1 ms
 * ago after an 11 s wait.
 */
export class TestDatabase {
  readonly pool: pg.Pool;
  private backdates: string[] | null = null;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
  }

  /** Deletes every row of the store's tables; the schema stays migrated. */
  async empty(): Promise<void> {
    const { rows } = await this.pool.query<{ tables: string | null }>(
      `SELECT string_agg(format('%I', tablename), ', ') AS tables
         FROM pg_tables WHERE schemaname = current_schema() AND tablename <> $1`,
      [MIGRATIONS_TABLE],
    );
    if (rows[0]?.tables) await this.pool.query(`TRUNCATE ${rows[0].tables}`);
  }

  /** Every timestamptz column of every table, moved back by `ms`. */
  async advanceClock(ms: number): Promise<void> {
    this.backdates ??= (
      await this.pool.query<{ statement: string }>(
        `SELECT format('UPDATE %I SET %s', table_name,
                       string_agg(format('%1$I = %1$I - $1::double precision * interval ''1 millisecond''', column_name), ', ')) AS statement
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND data_type = 'timestamp with time zone' AND table_name <> $1
          GROUP BY table_name`,
        [MIGRATIONS_TABLE],
      )
    ).rows.map((row) => row.statement);
    for (const statement of this.backdates) await this.pool.query(statement, [ms]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** PostgreSQL's tools refuse to run as root, so as root they run as this account. */
const UNPRIVILEGED_ACCOUNTS = ['postgres', 'nobody'];

async function startThrowawayServer(): Promise<ServerHandle> {
  const bin = postgresBinDir();
  const account = process.getuid?.() === 0 ? unprivilegedAccount() : null;
  const dir = await mkdtemp(join(tmpdir(), 'cw-pg-'));
  const as = account ? { uid: account.uid, gid: account.gid } : {};
  const tool = (name: string, args: string[]) =>
    run(join(bin, name), args, { ...as, cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  const data = join(dir, 'data');
  let started = false;
  const stop = async () => {
    if (started) await tool('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-s']).catch(() => undefined);
    started = false;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (account) await chown(dir, account.uid, account.gid);
    await chmod(dir, 0o700);
    await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // Durability is pointless for a throwaway cluster: fsync off keeps CREATE DATABASE and commits fast.
    const serverOptions = (port: number) =>
      `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    const start = (port: number) =>
      tool('pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions(port)]);
    // A free port can be taken by someone else before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await start(port);
        started = true;
        process.once('exit', () => stopSync(join(bin, 'pg_ctl'), data, as));
        const restart = async (whileDown: () => Promise<unknown>) => {
          await tool('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-s']);
          try {
            await whileDown();
          } finally {
            await start(port);
          }
        };
        return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, restart, stop };
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  } catch (error) {
    const log = readIfExists(join(dir, 'server.log'));
    await stop();
    throw new Error(
      `Cannot start a throwaway PostgreSQL with ${bin} (${messageOf(error)})` +
        (log ? `\nserver log:\n${log}` : '') +
        '\nInstall PostgreSQL (Debian: apt-get install postgresql) or set CLAUDE_WORKER_TEST_PG_URL.',
      { cause: error },
    );
  }
}

/** `initdb` on PATH, else the newest Debian-style /usr/lib/postgresql/<version>/bin. */
function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, 'initdb')));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL tests need a PostgreSQL server: no initdb on PATH or in /usr/lib/postgresql/*/bin. ' +
        'Install PostgreSQL (Debian: apt-get install postgresql) or set CLAUDE_WORKER_TEST_PG_URL.',
    );
  }
  return join(root, versions[0]!, 'bin');
}

function unprivilegedAccount(): { uid: number; gid: number } {
  const accounts = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .map(([name, , uid, gid]) => ({ name, uid: Number(uid), gid: Number(gid) }));
  for (const wanted of UNPRIVILEGED_ACCOUNTS) {
    const account = accounts.find((candidate) => candidate.name === wanted);
    if (account && account.uid !== 0) return account;
  }
  throw new Error(`PostgreSQL refuses to run as root, and none of the accounts ${UNPRIVILEGED_ACCOUNTS.join(', ')} exists.`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A test process that ends without `stop()` must not leave a server running. */
function stopSync(pgCtl: string, data: string, as: { uid?: number; gid?: number }): void {
  if (!existsSync(data)) return;
  try {
    // Synchronous: nothing asynchronous runs during 'exit'.
    execFileSync(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-s'], { ...as, stdio: 'ignore' });
  } catch {
    // Already stopped.
  }
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'stderr' in error && String(error.stderr).trim()) {
    return String(error.stderr).trim();
  }
  return error instanceof Error ? error.message : String(error);
}
