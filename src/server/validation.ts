/**
 * Request validation with the shared zod schemas, reported the way every
 * other door reports bad input: a ValidationError listing every problem by
 * field.
 */
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../core/errors.js';
import { toValidationIssues } from '../core/schemas.js';

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const parsed = schema.safeParse(data);
    return parsed.success ? { value: parsed.data } : { error: new ValidationError(issuesOf(parsed.error, httpPart)) };
  };

/** A problem with the query string as a whole (an unknown parameter) is about `query`, not the body. */
function issuesOf(error: z.ZodError, httpPart: string | undefined): ValidationIssue[] {
  const wholePart = httpPart === 'querystring' ? 'query' : httpPart === 'params' ? 'path' : 'body';
  return toValidationIssues(error).map((issue) => (issue.field === 'body' ? { ...issue, field: wholePart } : issue));
}

/**
 * For a body the service validates itself: it checks the schema and the file
 * system together, so a caller hears about a bad type and a missing directory
 * in the same answer. The route still declares the schema for the OpenAPI
 * document.
 */
export function bodyCheckedByService<S>(route: FastifyRouteSchemaDef<S>): ReturnType<FastifySchemaCompiler<S>> {
  if (route.httpPart === 'body') return (data) => ({ value: data });
  return zodValidatorCompiler(route as FastifyRouteSchemaDef<unknown> as FastifyRouteSchemaDef<z.ZodType>);
}

/**
 * Fastify validates the path before the query string and stops at the first
 * invalid part; this adds the query string's problems so a bad id does not
 * hide a bad parameter.
 */
export function withQueryIssues(error: ValidationError, request: FastifyRequest): ValidationError {
  if ((error as { validationContext?: string }).validationContext !== 'params') return error;
  const querySchema = request.routeOptions.schema?.querystring;
  if (!(querySchema instanceof z.ZodType)) return error;
  const parsed = querySchema.safeParse(request.query);
  return parsed.success ? error : new ValidationError([...error.issues, ...issuesOf(parsed.error, 'querystring')]);
}
