/**
 * Connections and statements: the pool every operation borrows from for one
 * statement or one short transaction, and the `@name` parameters the
 * statement modules write (the same style as the SQLite store), bound as
 * `$n` placeholders, never spliced into the text.
 */
import pg from 'pg';
import { withoutNul } from '../sql/tasks.js';
import { MovedTasks } from '../store-operations.js';
import { asStoreError } from './store-errors.js';

/** Who is talking to the server, as `pg_stat_activity` shows it. */
export const APPLICATION_NAME = 'claude-worker';

const INT8_OID = 20;

/**
 * bigint columns (ids, counts, epoch milliseconds) come back as JS numbers:
 * they stay far below 2^53, and the store's records carry numbers.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Settings every connection of the store uses, pooled or listening. */
export function connectionConfig(url: string, applicationName: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName,
    types: TYPES,
    // Probes start after 10 s idle instead of the OS default of two hours, so a
    // connection to a server that vanished (host down, network cut) is dropped
    // and replaced instead of being handed out dead.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    // A node cut off in the middle of a transaction would otherwise keep its row
    // locks until TCP gives up (minutes): the reaper skips locked rows, so the
    // task could not be rescued meanwhile. Transactions here last milliseconds.
    idle_in_transaction_session_timeout: 30_000,
  };
}

export interface PoolOptions {
  /** Connections at most; each is held for one statement or one short transaction. */
  size: number;
  /** Told about connections that broke while idle (the pool replaces them). */
  warn: (message: string) => void;
}

export function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(url, APPLICATION_NAME), max: options.size });
  // An idle connection that dies (server restart, terminated backend) emits
  // 'error' on the pool; unhandled, that event would end the process.
  pool.on('error', (error) => options.warn(`a pooled database connection failed: ${error.message}`));
  return pool;
}

export type Params = Readonly<Record<string, unknown>>;

interface CompiledStatement {
  text: string;
  names: readonly string[];
}

const compiled = new Map<string, CompiledStatement>();

/** `@name` → `$n` (the same name always gets the same number). */
function compile(sql: string): CompiledStatement {
  let statement = compiled.get(sql);
  if (!statement) {
    const names: string[] = [];
    const text = sql.replace(/@([a-z_][a-z0-9_]*)/g, (_, name: string) => {
      if (!names.includes(name)) names.push(name);
      return `$${names.indexOf(name) + 1}`;
    });
    statement = { text, names };
    compiled.set(sql, statement);
  }
  return statement;
}

function bind(sql: string, params: Params): pg.QueryConfig {
  const { text, names } = compile(sql);
  const values = names.map((name) => {
    // pg sends undefined as NULL: a misspelt parameter would silently write NULL.
    if (!(name in params)) throw new Error(`statement parameter @${name} was not given`);
    const value = params[name];
    // PostgreSQL refuses U+0000 in text: an agent's summary holding one would
    // make its outcome impossible to record. SQLite keeps it as it is.
    return typeof value === 'string' ? withoutNul(value) : value;
  });
  return { text, values };
}

/** Runs statements on the pool (each one autocommits) or inside a transaction. */
export interface Sql {
  /**
   * Identifies this store in the notifications it sends, so that its own
   * listener can tell them from other processes'.
   */
  readonly origin: string;
  /** Dependents moved by writes on this store, for it to announce in this process. */
  readonly moved: MovedTasks;
  rows<R extends pg.QueryResultRow>(sql: string, params?: Params): Promise<R[]>;
  /** Returns how many rows the statement changed. */
  run(sql: string, params?: Params): Promise<number>;
}

class Statements implements Sql {
  constructor(
    private readonly target: pg.Pool | pg.PoolClient,
    readonly origin: string,
    readonly moved: MovedTasks,
    /** The database's URL, named when it cannot be reached. */
    protected readonly url: string,
  ) {}

  async rows<R extends pg.QueryResultRow>(sql: string, params: Params = {}): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  async run(sql: string, params: Params = {}): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: Params): Promise<pg.QueryResult<R>> {
    try {
      return await this.target.query<R>(bind(sql, params));
    } catch (error) {
      throw asStoreError(error, this.url);
    }
  }
}

/**
 * A deadlock (40P01) or serialization failure (40001): PostgreSQL rolled the
 * whole transaction back, so running it again is safe. Two transactions on
 * one graph can deadlock: a cancel locks its task and then the tasks after
 * it, an ending dependency locks the tasks after it in id order, and ids
 * need not follow the graph's order. PostgreSQL breaks the cycle after
 * deadlock_timeout (1 s) by aborting one of them; that one runs again.
 */
const RETRYABLE_CODES = new Set(['40P01', '40001']);
const MAX_TRANSACTION_ATTEMPTS = 3;

export class PostgresContext extends Statements {
  constructor(
    readonly pool: pg.Pool,
    origin: string,
  ) {
    super(pool, origin, new MovedTasks(), pool.options.connectionString ?? '');
  }

  /**
   * Runs `fn` in one READ COMMITTED transaction on one pooled connection,
   * which goes back to the pool right after: nothing is held while a task
   * runs. Row locks (`FOR UPDATE`) taken in `fn` fence concurrent writers.
   * `fn` runs again when PostgreSQL aborts the transaction to break a
   * deadlock, so it must only write through `tx`.
   */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactionOnce(fn);
      } catch (error) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !RETRYABLE_CODES.has((error as { code?: unknown }).code as string))
          throw error;
      }
    }
  }

  private async transactionOnce<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw asStoreError(error, this.url);
    });
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a connection lost between two
    // statements would otherwise be an unhandled 'error' event. The next
    // statement fails on its own.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const tx = new Statements(client, this.origin, this.moved, this.url);
      await tx.run('BEGIN');
      const result = await fn(tx);
      // The commit writes the transaction's WAL: where a full disk shows first.
      await tx.run('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself failed: it must not go back into the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
