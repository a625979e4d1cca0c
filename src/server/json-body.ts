/**
 * Request bodies are JSON and nothing else. Two departures from Fastify's
 * defaults:
 *   - no text/plain parser: a text body is answered 415, as the README says,
 *     not parsed into a string that then fails as "expected object";
 *   - a key that would change an object's prototype (`__proto__`,
 *     `constructor.prototype`) is refused by name and place, with the rule
 *     every door applies, instead of as "invalid JSON": the JSON is valid.
 * A route that takes no body (cancel) accepts an empty one, whatever its
 * content type says.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../core/errors.js';
import { forbiddenKeyIssues } from '../core/input-rules.js';

export function registerJsonBodyParser(app: FastifyInstance): void {
  // The keys are looked for below, by name; Fastify's check would call them invalid JSON.
  const parseJson = app.getDefaultJsonParser('ignore', 'ignore');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && !takesBody(request)) {
      done(null, undefined);
      return;
    }
    void parseJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const issues = forbiddenKeyIssues(value);
      if (issues.length > 0) return done(new ValidationError(issues), undefined);
      done(null, value);
    });
  });
}

function takesBody(request: FastifyRequest): boolean {
  return request.routeOptions.schema?.body !== undefined;
}
