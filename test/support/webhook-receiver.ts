/**
 * A webhook receiver on loopback, as a user would write one: it checks the
 * signature of every delivery it is sent (with the package's own verifier)
 * and records what came, and answers with the status a test sets, so a
 * test can make it fail for a while and then take deliveries.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { StateEvent } from '../../src/core/events.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../src/core/webhook-signature.js';
import { waitFor } from './wait.js';

export interface ReceivedDelivery {
  delivery: string;
  /** Whether the signature verified against the receiver's secret. */
  verified: boolean;
  /** What the receiver answered. */
  status: number;
  event: StateEvent;
}

export interface WebhookReceiver {
  url: string;
  /** Every POST, in arrival order, whatever it was answered. */
  received: ReceivedDelivery[];
  /** Answer this status from now on (200 by default). */
  answer(status: number): void;
  /** Resolves with the first delivery `match` accepts, already received or still to come. */
  waitFor(match: (delivery: ReceivedDelivery) => boolean, what: string): Promise<ReceivedDelivery>;
  close(): Promise<void>;
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : '';
};

export async function startWebhookReceiver(secret: string, port = 0): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let status = 200;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = verifyWebhookSignature(secret, header(req, SIGNATURE_HEADER), header(req, TIMESTAMP_HEADER), body);
    received.push({ delivery: header(req, DELIVERY_HEADER), verified, status, event: JSON.parse(body) as StateEvent });
    res.writeHead(status).end();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hooks/claude-worker`,
    received,
    answer: (next) => (status = next),
    waitFor: (match, what) => waitFor(() => received.find(match), { what: `the receiver to get ${what}`, intervalMs: 20 }),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
