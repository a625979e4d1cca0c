/**
 * The LISTEN side of the hints: one dedicated connection per store, outside
 * the pool (a pooled connection is handed to other work and would miss
 * notifications). When it drops it reconnects with backoff; while it is
 * down, hints from other processes are missed and polling covers the gap.
 * Nothing here ever throws into the process: failures are reported to
 * `warn` and retried.
 */
import pg from 'pg';
import { CANCEL_CHANNEL, type Hint, readHint, WORK_CHANNEL } from './notify.js';
import { APPLICATION_NAME, connectionConfig } from './pool.js';

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
/**
 * A connection cut off without a FIN or RST (network partition) looks alive
 * until a write fails: a periodic query notices within this interval plus
 * its timeout, instead of TCP keepalive's default of hours.
 */
const PING_INTERVAL_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;

export interface ListenerOptions {
  url: string;
  /** This store's id in notification payloads; its own hints are ignored. */
  origin: string;
  onHint: (hint: Hint) => void;
  /** After a reconnect: hints sent while the connection was down were missed. */
  onReconnect: () => void;
  warn: (message: string) => void;
}

export class NotificationListener {
  private client: pg.Client | null = null;
  private backendPid: number | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  private everConnected = false;
  private closed = false;

  constructor(private readonly options: ListenerOptions) {}

  /** Tries to connect once; resolves either way (after a failure it keeps trying in the background). */
  start(): Promise<void> {
    return this.connect();
  }

  /** The server process of the listening connection; null while it is down. */
  get processId(): number | null {
    return this.backendPid;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopPing();
    await this.connecting;
    const client = this.client;
    this.client = null;
    this.backendPid = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.attempt().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    const client = new pg.Client({
      ...connectionConfig(this.options.url, `${APPLICATION_NAME} listener`),
      query_timeout: PING_TIMEOUT_MS,
    });
    // Attached before connecting: an 'error' event without a listener would end the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', ({ channel, payload }) => {
      const hint = readHint(channel, payload, this.options.origin);
      if (hint) this.options.onHint(hint);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WORK_CHANNEL}`);
      await client.query(`LISTEN ${CANCEL_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.backendPid = rows[0]!.pid;
      this.retryMs = RETRY_FIRST_MS;
      this.startPing(client);
      if (this.everConnected) this.options.onReconnect();
      this.everConnected = true;
    } catch (error) {
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.warn(`cannot listen for notifications (${messageOf(error)}); polling until it can`);
      this.retryLater();
    }
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (client !== this.client) return; // a failed attempt, or one this listener already gave up
    this.client = null;
    this.backendPid = null;
    this.stopPing();
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.options.warn(`the notification connection was lost (${error ? messageOf(error) : 'closed'}); reconnecting`);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    // Retrying alone must not keep a process alive that is otherwise done.
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private startPing(client: pg.Client): void {
    this.pingTimer = setInterval(() => {
      client.query('SELECT 1').catch((error: Error) => this.lost(client, error));
    }, PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
