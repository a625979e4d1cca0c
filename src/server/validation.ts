/**
 * Request validation with the shared zod schemas, reported the way every
 * other door reports bad input: a ValidationError listing every problem by
 * field.
 */
import type { FastifyRequest, FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
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

/**
 * Fastify's `schemaController` option with our compilers. Given at
 * construction, they replace Fastify's defaults before those are loaded:
 * with `setValidatorCompiler` after the fact, Fastify would load ajv (86
 * files) for a validator no route uses.
 */
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

// Fastify calls a factory's compilers exactly as those given to setValidatorCompiler
// and setSerializerCompiler (which it wraps in such a factory); its types describe
// only ajv and fast-json-stringify's, hence the casts.
export const ZOD_COMPILERS: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator: (() => zodValidatorCompiler) as unknown as CompilersFactory['buildValidator'],
    buildSerializer: (() => serializerCompiler) as unknown as CompilersFactory['buildSerializer'],
  },
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
