/**
 * The OpenAPI 3 document at /openapi.json, generated from the same zod
 * schemas the routes validate with, so it cannot drift from them. The
 * server records its routes as they are added and builds the document on
 * the first request for it (see openapi-document.ts): the generator and the
 * YAML writer it brings (about 90 files) are no part of a server's start.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Serves /openapi.json for every route added after this call (in this
 * instance or a plugin registered in it), so call it before the routes.
 */
export function registerOpenApiRoute(app: FastifyInstance, version: string): void {
  const routes: RouteOptions[] = [];
  // Fastify adds a HEAD route for each GET route; the document leaves them out, as @fastify/swagger does.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') routes.push(route);
  });
  let document: Promise<unknown> | null = null;
  app.get('/openapi.json', { schema: { hide: true } }, async () => {
    document ??= import('./openapi-document.js').then(({ buildOpenApiDocument }) => buildOpenApiDocument(routes, version));
    return document;
  });
}
