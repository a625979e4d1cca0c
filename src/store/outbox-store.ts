/** The TaskStore's event outbox and the webhook deliveries made from it (TaskStore extends it: task-store.ts). */
import type * as Outbox from './event-records.js';

/**
 * The outbox. Every change of a task's status is recorded as an event
 * (`task.submitted`, then `task.<status>`) in the transaction that made it,
 * by the database itself (triggers), and the end of an orchestration's last
 * task as `orchestration.<status>`. A running task's latest action is there too,
 * as one `task.progress` event that each new action replaces and its end
 * removes (never sent to webhooks). Ids grow in commit order: a reader that
 * passes the last id it saw misses nothing.
 */
export interface OutboxStore {
  /**
   * Records an event that is not a status change, in a transaction of its
   * own; returns its id. A store operation that must record one in its own
   * transaction (a queue pause, say) uses the dialect's function instead
   * (insertEvent in sqlite/events.ts, recordEvent in postgres/events.ts).
   */
  recordEvent(event: Outbox.NewEvent): Promise<number>;

  /** Up to `limit` events after `afterId`, oldest first. */
  readEvents(afterId: number, limit: number): Promise<Outbox.EventRecord[]>;

  /** The id of the newest event, 0 when there is none. */
  lastEventId(): Promise<number>;

  /**
   * Makes the webhook deliveries of the next batch of events not fanned out
   * yet: to the server-wide URL and to the `webhook_url` of the event's task
   * and orchestration, for events of `types`. Returns how many events it
   * passed; 0 once it has caught up. Each event is fanned out once, whichever
   * node does it.
   */
  fanOutWebhooks(spec: Outbox.FanOutSpec): Promise<number>;

  /**
   * Leases up to `limit` deliveries that are due, oldest first, for
   * `leaseMs`, counting the attempt: no other sender takes them meanwhile,
   * and a sender that died leaves them due again once the lease ends.
   */
  claimWebhookDeliveries(leaseMs: number, limit: number): Promise<Outbox.WebhookDelivery[]>;

  /** How many deliveries are still owed: not delivered, and not given up. */
  webhookBacklog(): Promise<number>;

  /** Records the outcome of an attempt; false when the lease was lost (another sender has it now). */
  settleWebhookDelivery(lease: Outbox.DeliveryLease, outcome: Outbox.DeliveryOutcome): Promise<boolean>;
}
