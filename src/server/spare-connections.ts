/**
 * Node 20's `server.close()` closes idle keep-alive connections but waits
 * for one that was opened and never carried a request. HTTP clients open
 * such spare connections (undici did right after a follower broke off,
 * and it held the shutdown for 3.5 s until the client's own timeout), so a
 * closing server destroys them itself.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function closeSpareConnectionsOnClose(app: FastifyInstance): void {
  const open = new Set<Socket>();
  const used = new WeakSet<Socket>();
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => used.add(request.socket));
  // preClose runs just before the server stops listening and waits for its connections.
  app.addHook('preClose', async () => {
    for (const socket of open) if (!used.has(socket)) socket.destroy();
  });
}
