/**
 * Tool registration that checks arguments the way REST checks a body:
 * unknown arguments and keys that would change an object's prototype are
 * refused, and every problem comes back as a `validation_failed` tool error
 * with field-level issues. The SDK's own check would drop unknown arguments
 * (or answer in a free-form sentence), and zod drops `__proto__` keys
 * without a word: a misspelt `timeout_second` or a `required_labels` of
 * `{"__proto__": …}` would pass as if never sent.
 */
import type {
  CallToolResult,
  McpServer,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { parseOrThrow } from '../core/schemas.js';
import { runTool } from './tool-result.js';

export interface CheckedToolConfig<In extends z.ZodType, Out extends z.ZodType> {
  title: string;
  description: string;
  /** Strict object schema of the arguments (z.strictObject), listed to clients as is. */
  inputSchema: In;
  outputSchema: Out;
  annotations: ToolAnnotations;
}

export function registerCheckedTool<In extends z.ZodType, Out extends z.ZodType>(
  server: McpServer,
  name: string,
  config: CheckedToolConfig<In, Out>,
  handler: (args: z.output<In>, ctx: ServerContext) => Promise<CallToolResult>,
): void {
  server.registerTool(name, { ...config, inputSchema: checkedByHandler(config.inputSchema) }, (raw, ctx) =>
    runTool(() => handler(parseOrThrow(config.inputSchema, raw, 'arguments'), ctx)),
  );
}

/**
 * The schema as clients see it (its JSON Schema), passing the arguments to
 * the handler as sent, which checks them with `schema` itself.
 */
function checkedByHandler(schema: z.ZodType): StandardSchemaWithJSON<unknown, unknown> {
  return {
    '~standard': {
      version: 1,
      vendor: 'claude-worker',
      validate: (value: unknown) => ({ value }),
      jsonSchema: schema['~standard'].jsonSchema,
    },
  };
}
