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

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The only files served, so a path can never name anything else. */
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': JAVASCRIPT,
  'app.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

/** The modules a page loads when it is first shown (named by dashboard/build.mjs): letters and digits, no path. */
const CHUNK = /^chunk-[A-Z0-9]+\.js$/;

function assetType(name: string): string | undefined {
  if (Object.hasOwn(ASSETS, name)) return ASSETS[name];
  return CHUNK.test(name) ? JAVASCRIPT : undefined;
}

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
    const type = assetType(request.params.name);
    const content = type === undefined ? null : await readAssetIfPresent(request.params.name);
    if (content === null) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset.' } });
    return reply.type(type!).header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(content);
  });
}

function readAsset(name: string): Promise<Buffer> {
  return readFile(new URL(name, ASSET_DIRECTORY));
}

/** The file's bytes; null when there is no such file (a chunk name of another build). */
async function readAssetIfPresent(name: string): Promise<Buffer | null> {
  try {
    return await readAsset(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
