/**
 * Server-Sent Events over a raw response, and the set of open streams so a
 * shutting-down server can end them (an open stream would otherwise keep
 * `close()` waiting for as long as its task runs).
 */
import type { ServerResponse } from 'node:http';

/**
 * A comment line this often keeps proxies and idle timeouts from cutting a
 * quiet stream (an agent can think for minutes without a log line), and
 * surfaces a vanished client as a write error.
 */
const KEEP_ALIVE_MS = 15_000;

export class EventStream {
  /** Aborts when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  private readonly stopped = new AbortController();
  private readonly keepAlive: NodeJS.Timeout;
  private shuttingDown = false;
  private markFinished!: () => void;
  /** Resolves once the response has ended. */
  readonly finished = new Promise<void>((resolve) => (this.markFinished = resolve));

  constructor(private readonly response: ServerResponse) {
    this.signal = this.stopped.signal;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // The socket is not reused after a stream, so a closing server need not wait for it to idle out.
      connection: 'close',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    // The client learns the stream is open now, not at the first event: a quiet stream may send none for long.
    response.flushHeaders();
    response.on('close', () => this.stopped.abort());
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /** True when the stream stopped because the server is shutting down. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * One event; a multi-line payload becomes several `data:` lines, which the
   * client joins back with newlines. An `id` is what a reconnecting client
   * sends back as `Last-Event-ID`.
   */
  send(data: string, event?: string, id?: string): void {
    const head = (id === undefined ? '' : `id: ${id}\n`) + (event === undefined ? '' : `event: ${event}\n`);
    this.write(
      `${head}${data
        .split(/\r?\n/)
        .map((line) => `data: ${line}\n`)
        .join('')}\n`,
    );
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.stopped.abort();
  }

  close(): void {
    clearInterval(this.keepAlive);
    this.stopped.abort();
    this.response.end();
    this.markFinished();
  }

  // Summary lines are short and few (one per tool use), so writes are not throttled for backpressure.
  private write(chunk: string): void {
    if (!this.response.writableEnded && !this.response.destroyed) this.response.write(chunk);
  }
}

export class EventStreams {
  private readonly open = new Set<EventStream>();

  start(response: ServerResponse): EventStream {
    const stream = new EventStream(response);
    this.open.add(stream);
    stream.signal.addEventListener('abort', () => this.open.delete(stream), { once: true });
    return stream;
  }

  /** Ends every open stream (each tells its client the server is going away) and resolves once they have ended. */
  async shutdownAll(): Promise<void> {
    const open = [...this.open];
    for (const stream of open) stream.shutdown();
    await Promise.all(open.map((stream) => stream.finished));
  }
}
