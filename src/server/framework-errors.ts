/**
 * The replies Fastify and Node's HTTP parser would otherwise write in their
 * own shape, before any route or error handler runs: a path segment over the
 * router's length limit, a URL that does not decode, headers over Node's
 * size limit. They get the `{ error: { code, message, issues? } }` body of
 * every other error.
 */
import type { Socket } from 'node:net';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../core/errors.js';
import type { ErrorBody } from './error-reply.js';

/** Fastify's limit on one path parameter; ids are far shorter. */
export const MAX_PATH_PARAM_CHARS = 100;

/** The `frameworkErrors` option: errors met while routing, before the request has a route. */
export function replyToRoutingError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const issue = tooLong
    ? { field: 'path', message: `a path segment is longer than ${MAX_PATH_PARAM_CHARS} characters; ids are decimal numbers` }
    : { field: 'path', message: 'is not a valid URL: a percent-escape in it does not decode' };
  void reply.code(tooLong ? 414 : 400).send({ error: new ValidationError([issue]).toJSON() } satisfies ErrorBody);
}

/**
 * The `clientErrorHandler` option: a request Node could not parse (headers
 * too large, a timeout, bytes that are not HTTP). It never reached Fastify,
 * so the reply is written on the socket, which is then closed.
 */
export function replyToClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, `The request headers are larger than the ${maxHeaderSize} byte limit; send fewer or shorter headers.`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time; send it again.']
        : [400, 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code: 'validation_failed', message } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
