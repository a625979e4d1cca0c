/**
 * How a webhook is signed, for the sender and for receivers written in
 * TypeScript: HMAC-SHA256, keyed with CLAUDE_WORKER_WEBHOOK_SECRET, of
 * `${timestamp}.${body}`, sent as `sha256=<hex>`. The timestamp (epoch
 * seconds, its own header) is signed too, so a receiver that refuses old
 * timestamps cannot be sent a recorded delivery again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Claude-Worker-Signature';
export const TIMESTAMP_HEADER = 'X-Claude-Worker-Timestamp';
/** The same for every attempt at one delivery: a receiver de-duplicates on it. */
export const DELIVERY_HEADER = 'X-Claude-Worker-Delivery';

/** The signature header's value for `body` sent at `timestamp` (epoch seconds, as sent). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Whether `signature` signs `body` at `timestamp` with `secret`, and the
 * timestamp is within `toleranceSeconds` of `nowMs`.
 */
export function verifyWebhookSignature(
  secret: string,
  signature: string,
  timestamp: string,
  body: string,
  toleranceSeconds = 300,
  nowMs = Date.now(),
): boolean {
  const sentAt = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - sentAt) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
