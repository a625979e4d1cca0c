/**
 * The dashboard's page and assets, served from the package (built into
 * dist/dashboard by `npm run build`): no request of the page leaves this
 * server, so it works offline. The HTML carries a Content-Security-Policy
 * that allows scripts, styles and connections from this origin only, and
 * no inline script.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/** The package's dist/dashboard/, from dist/server/dashboard/ (and from src/server/dashboard/ when run from source). */
const ASSET_DIRECTORY = new URL('../../../dist/dashboard/', import.meta.url);

/** The only files served, so a path can never name anything else. */
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Routes every visitor may load: the page holds no data, and asks for the token itself when the API wants one. */
export const DASHBOARD_OPEN_ROUTES: readonly string[] = ['/', '/assets/:name'];

export function registerDashboardAssets(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(await readAsset('index.html')),
  );
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name] : undefined;
    if (type === undefined) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset.' } });
    return reply
      .type(type)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(await readAsset(request.params.name));
  });
}

function readAsset(name: string): Promise<Buffer> {
  return readFile(new URL(name, ASSET_DIRECTORY));
}
