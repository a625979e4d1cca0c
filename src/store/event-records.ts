/** The records the TaskStore takes and returns for the outbox of events and the webhook deliveries made from it. */

/** One row of the outbox. Times are epoch milliseconds. */
export interface EventRecord {
  id: number;
  at: number;
  type: string;
  task_id: number | null;
  orchestration_id: number | null;
  data: Record<string, unknown> | null;
}

/** An event that is not a task's status change (those are recorded by the store itself). */
export interface NewEvent {
  type: string;
  taskId?: number | null;
  orchestrationId?: number | null;
  data?: Record<string, unknown> | null;
}

/** What the fan-out sends webhooks to, besides the `webhook_url` of each task and orchestration. */
export interface FanOutSpec {
  /** The server-wide receiver (CLAUDE_WORKER_WEBHOOK_URL), or null. */
  serverUrl: string | null;
  /** Events of these types get deliveries; the others are passed over. */
  types: readonly string[];
  /** Events per call at most. */
  limit: number;
}

/** Proof that a sender holds a delivery, for settling it. */
export interface DeliveryLease {
  id: number;
  token: string;
}

/** A delivery leased to a sender: one event to POST to one URL. */
export interface WebhookDelivery extends DeliveryLease {
  url: string;
  /** Attempts so far, this one included. */
  attempts: number;
  event: EventRecord;
}

export type DeliveryOutcome =
  | { delivered: true }
  /**
   * Sent again after `retryDelayMs`, unless that would be past
   * `retryWindowMs` after the delivery was made: then it is given up.
   */
  | { delivered: false; error: string; retryDelayMs: number; retryWindowMs: number };
