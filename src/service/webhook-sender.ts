/**
 * Sends the webhooks of the outbox: makes the deliveries of new events (the
 * fan-out), leases the due ones, POSTs each, and records the outcome. It runs
 * on its own timer beside the runner and never waits on it, nor the runner on
 * it. Everything it knows is in the store, so a delivery interrupted by a
 * crash is sent once the lease it held runs out, by this node after a
 * restart or by another; a receiver may so see one delivery twice, and
 * de-duplicates on its delivery id.
 */
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../core/webhook-signature.js';
import { WEBHOOK_EVENT_TYPES } from '../core/events.js';
import type { TaskStore, WebhookDelivery } from '../store/task-store.js';
import { toStateEvent } from './event-feed.js';
import { watchTasks } from './task-changes.js';

/** A receiver gets this long to answer; a slow one is tried again later like a failed one. */
const SEND_TIMEOUT_MS = 10_000;
/** Longer than a send, so a delivery is not leased to a second sender while the first still waits for an answer. */
const SEND_LEASE_MS = 60_000;
const SENDS_AT_ONCE = 8;
const FAN_OUT_BATCH = 200;
/** The backstop: events and due retries from other processes are picked up no later. */
const POLL_MS = 1_000;
/** Failed deliveries are tried again for this long after the event, then given up. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600 * 1000;
const MAX_RETRY_DELAY_MS = 3600 * 1000;

export interface WebhookSenderOptions {
  store: TaskStore;
  /** The server-wide receiver (CLAUDE_WORKER_WEBHOOK_URL), besides each task's and orchestration's own. */
  url: string | null;
  /** Signs every delivery (CLAUDE_WORKER_WEBHOOK_SECRET); null: unsigned. */
  secret: string | null;
  /** The first retry's delay; each next one doubles, up to an hour. */
  retryMs: number;
  warn: (message: string) => void;
  fetch?: typeof fetch;
}

export class WebhookSender {
  private readonly stopped = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: WebhookSenderOptions) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops; resolves once the sends under way are settled, so the store can close. */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { store, warn } = this.options;
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      // Watch first: a change made while this pass runs wakes the next one at once.
      const changed = watchTasks(store, 'any', POLL_MS, signal);
      try {
        await this.pass();
      } catch (error) {
        warn(`webhooks: could not read or update the deliveries, will try again: ${String(error)}`);
      }
      await changed.promise;
    }
  }

  /** Fans out what is new, then sends what is due, batch after batch. */
  private async pass(): Promise<void> {
    const { store, url } = this.options;
    while ((await store.fanOutWebhooks({ serverUrl: url, types: WEBHOOK_EVENT_TYPES, limit: FAN_OUT_BATCH })) > 0);
    for (;;) {
      const due = await store.claimWebhookDeliveries(SEND_LEASE_MS, SENDS_AT_ONCE);
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => this.deliver(delivery)));
      if (this.stopped.signal.aborted) return;
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const { store, retryMs } = this.options;
    const error = await this.send(delivery);
    await store.settleWebhookDelivery(
      delivery,
      error === null
        ? { delivered: true }
        : {
            delivered: false,
            error,
            retryDelayMs: Math.min(retryMs * 2 ** (delivery.attempts - 1), MAX_RETRY_DELAY_MS),
            retryWindowMs: WEBHOOK_RETRY_WINDOW_MS,
          },
    );
  }

  /** POSTs the event; null when the receiver took it (2xx), else why not. */
  private async send(delivery: WebhookDelivery): Promise<string | null> {
    const { store, secret } = this.options;
    const body = JSON.stringify(await toStateEvent(store, delivery.event));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'claude-worker',
      [TIMESTAMP_HEADER]: timestamp,
      [DELIVERY_HEADER]: String(delivery.id),
    };
    if (secret !== null) headers[SIGNATURE_HEADER] = webhookSignature(secret, timestamp, body);
    try {
      const response = await (this.options.fetch ?? fetch)(delivery.url, {
        method: 'POST',
        headers,
        body,
        // Stopping cuts a send short: it counts as failed and is sent again later.
        signal: AbortSignal.any([AbortSignal.timeout(SEND_TIMEOUT_MS), this.stopped.signal]),
      });
      await response.body?.cancel();
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
  }
}
