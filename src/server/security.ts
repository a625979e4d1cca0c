/**
 * The server starts agents that may edit files and run commands without
 * asking (bypassPermissions), so reaching it must be deliberate:
 *   - it binds loopback unless told otherwise, and refuses a non-loopback
 *     bind without a token;
 *   - with a token, every route except /health, /openapi.json and the
 *     dashboard's static page needs
 *     `Authorization: Bearer <token>`;
 *   - a Host header naming anything but this server is refused, so a web
 *     page cannot reach it through DNS rebinding;
 *   - a browser request from another origin is refused, and no CORS header
 *     is ever sent, so pages cannot read answers either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bareHost, isLoopbackHost } from '../core/config.js';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../core/errors.js';
import { DASHBOARD_OPEN_ROUTES } from './dashboard/static-assets.js';

/**
 * Route patterns anyone who passes the Host and Origin checks may call. The
 * dashboard's page and assets hold no data: the page asks for the token and
 * sends it with every API call.
 */
const OPEN_ROUTES: ReadonlySet<string> = new Set(['/health', '/openapi.json', ...DASHBOARD_OPEN_ROUTES]);

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);

export interface RequestGuardOptions {
  token: string | null;
  /**
   * Host header names accepted besides loopback names: `name` (any port) or
   * `name:port`. Loopback names are accepted with the port the request came in on.
   */
  allowedHosts: readonly string[];
}

/** Throws when binding `host` would expose the server without a token. */
export function assertSafeBind(host: string, token: string | null): void {
  if (isLoopbackHost(host) || token !== null) return;
  throw new ValidationError([
    {
      field: 'CLAUDE_WORKER_TOKEN',
      message:
        `is required to listen on ${host}, which other machines can reach: anyone reaching the server could run ` +
        `Claude Code on this machine. Set CLAUDE_WORKER_TOKEN to a long random secret (e.g. "openssl rand -hex 32") ` +
        `and send it as "Authorization: Bearer <token>", or listen on 127.0.0.1.`,
    },
  ]);
}

/**
 * Host names a server bound to `host` answers to, besides loopback names and
 * `extra`: the bind address itself, or every local interface address for a
 * wildcard bind. IP literals cannot come from DNS rebinding, so they are safe.
 */
export function allowedHostsFor(host: string, extra: readonly string[]): string[] {
  const bound = WILDCARD_HOSTS.has(host)
    ? Object.values(networkInterfaces())
        .flat()
        .map((address) => address?.address)
        .filter((address): address is string => address !== undefined)
    : [host];
  return [...bound.map((name) => (name.includes(':') && !name.startsWith('[') ? `[${name}]` : name)), ...extra];
}

export function registerRequestGuards(app: FastifyInstance, options: RequestGuardOptions): void {
  const allowed = options.allowedHosts.map(parseHost).filter((entry) => entry !== null);
  const tokenDigest = options.token === null ? null : sha256(options.token);
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    if (!isAllowedHost(host, allowed, request.socket.localPort)) {
      throw new ForbiddenError(
        `Host "${host ?? ''}" is not one this server answers to. ` +
          'Add the name to CLAUDE_WORKER_ALLOWED_HOSTS (comma-separated) if it is yours, e.g. behind a reverse proxy.',
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, host!)) {
      throw new ForbiddenError(`Cross-origin requests are refused (Origin "${origin}").`);
    }
    if (tokenDigest !== null && !isOpenRoute(request) && !bearerMatches(request.headers.authorization, tokenDigest)) {
      throw new UnauthorizedError();
    }
  });
}

interface HostName {
  name: string;
  /** Null when the entry accepts any port. */
  port: number | null;
}

/** `name`, `name:port`, `[v6]:port`; null for anything else (user info, paths, junk). */
function parseHost(value: string): HostName | null {
  if (!/^[a-z0-9.\-:[\]]+$/i.test(value)) return null;
  try {
    const url = new URL(`http://${value}`);
    const hasPort = /:\d+$/.test(value);
    return { name: bareHost(url.hostname), port: hasPort ? Number(url.port || 80) : null };
  } catch {
    return null;
  }
}

function isAllowedHost(header: string | undefined, allowed: readonly HostName[], localPort: number | undefined): boolean {
  const host = header === undefined ? null : parseHost(header);
  if (host === null) return false;
  const port = host.port ?? 80;
  if (isLoopbackHost(host.name)) return localPort === undefined || port === localPort;
  return allowed.some((entry) => entry.name === host.name && (entry.port === null || entry.port === port));
}

/** A browser sends Origin on cross-origin and on state-changing requests; same-origin means it names this Host. */
function isSameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

function isOpenRoute(request: FastifyRequest): boolean {
  return OPEN_ROUTES.has(request.routeOptions.url ?? '');
}

function bearerMatches(authorization: string | undefined, tokenDigest: Buffer): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return given !== undefined && timingSafeEqual(sha256(given), tokenDigest);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
