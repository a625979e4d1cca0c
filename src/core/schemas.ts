/**
 * Input and output schemas shared by every door. The REST server derives its
 * validation and OpenAPI document from these; the CLI, the client and MCP
 * validate with the same ones, so a rule changes in one place.
 */
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';
import { labelsSchema } from './labels.js';
import { FAILURE_CODES, PERMISSION_MODES, TASK_STATUSES } from './task.js';
import { WORKER_STATES } from './worker.js';

/** Prompts past this size are almost certainly a mistake (a binary piped in, say). */
export const MAX_PROMPT_CHARS = 200_000;
export const MAX_LIST_LIMIT = 500;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

const nonBlank = (field: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `${field} must be a string`) })
    .max(max, { error: `${field} is longer than ${max} characters` })
    .refine((s) => s.trim().length > 0, { error: `${field} must not be empty` });

export const createTaskInputSchema = z.strictObject({
  execution_prompt: nonBlank('execution_prompt', MAX_PROMPT_CHARS).describe('What the agent should do.'),
  working_directory: nonBlank('working_directory', 4096).describe(
    'Absolute path of an existing directory the agent works in.',
  ),
  system_prompt: z
    .string()
    .max(MAX_PROMPT_CHARS)
    .nullish()
    .describe("Appended to Claude Code's own system prompt."),
  model: z.string().min(1).max(200).nullish().describe('Model id or alias (`sonnet`, `opus`); default: Claude Code\'s.'),
  permission_mode: z.enum(PERMISSION_MODES).nullish().describe('Claude Code permission mode; default: the server\'s.'),
  max_turns: z.int().min(1).max(10_000).nullish().describe('Stop the agent after this many turns (task fails).'),
  timeout_seconds: z
    .int()
    .min(1)
    .max(MAX_TIMEOUT_SECONDS)
    .nullish()
    .describe('Stop the agent after this many seconds (task fails); default: the server\'s.'),
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .nullish()
    .describe('Submitting the same key again returns the existing task instead of creating another.'),
  required_labels: labelsSchema
    .nullish()
    .describe('Only a worker whose labels include every one of these pairs runs the task, e.g. {"gpu": "true"}.'),
});
export type CreateTaskInput = z.infer<typeof createTaskInputSchema>;

export const taskIdSchema = z.coerce.number({ error: 'task id must be a number' }).int().positive();

/** The paging fields of every newest-first list. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(50),
  cursor: z
    .string()
    .regex(/^\d+$/, { error: 'cursor must be a value returned as next_cursor' })
    .optional(),
};

export const listTasksQuerySchema = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  ...pageQueryShape,
});
export type ListTasksQuery = z.input<typeof listTasksQuerySchema>;

export const logsQuerySchema = z.strictObject({
  tail: z.coerce.number().int().min(1).max(100_000).optional(),
  follow: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

const tokenUsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  cache_read_input_tokens: z.number(),
});

export const taskSchema = z.object({
  id: z.int(),
  status: z.enum(TASK_STATUSES),
  execution_prompt: z.string(),
  working_directory: z.string(),
  system_prompt: z.string().nullable(),
  model: z.string().nullable(),
  permission_mode: z.enum(PERMISSION_MODES),
  max_turns: z.int().nullable(),
  timeout_seconds: z.int(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  last_action_cache: z.string().nullable(),
  final_summary: z.string().nullable(),
  error_code: z.enum(FAILURE_CODES).nullable(),
  error_message: z.string().nullable(),
  cost_usd: z.number().nullable(),
  usage: tokenUsageSchema.nullable(),
  num_turns: z.int().nullable(),
  duration_ms: z.number().nullable(),
  session_id: z.string().nullable(),
  api_key_source: z.string().nullable(),
  attempts: z.int(),
  max_attempts: z.int(),
  cancel_requested: z.boolean(),
  idempotency_key: z.string().nullable(),
  required_labels: z.record(z.string(), z.string()),
  orchestration_id: z.int().nullable(),
  identifier: z.string().nullable(),
});

export const taskPageSchema = z.object({
  tasks: z.array(taskSchema),
  next_cursor: z.string().nullable(),
});

/** How many tasks one wait may name: a planner's batch, not a table scan. */
export const MAX_WAIT_TASKS = 100;

export const waitForTasksInputSchema = z.strictObject({
  task_ids: z.array(z.int().positive()).min(1).max(MAX_WAIT_TASKS).describe('The tasks to wait for'),
  timeout_seconds: z
    .number()
    .min(0)
    .default(30)
    .describe('How long to wait at most; capped at 50 s, below common client and proxy timeouts'),
});

export const waitOutcomeSchema = z.object({
  tasks: z.array(taskSchema),
  all_terminal: z.boolean(),
  waited_seconds: z.number(),
});

/** Something the server knew when it started that will make (some of) its tasks fail, e.g. `root_bypass_refused`. */
export const serverWarningSchema = z.object({ code: z.string(), message: z.string() });
export type ServerWarning = z.infer<typeof serverWarningSchema>;

export const healthSchema = z.object({
  status: z.literal('healthy'),
  service: z.literal('claude-worker'),
  version: z.string(),
  uptime_seconds: z.number(),
  max_workers: z.int(),
  running: z.int(),
  pending: z.int(),
  // Servers of older versions send none.
  warnings: z.array(serverWarningSchema).default([]),
});
export type Health = z.infer<typeof healthSchema>;

export const workerSchema = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  pid: z.int(),
  labels: z.record(z.string(), z.string()),
  capacity: z.int(),
  running: z.int(),
  state: z.enum(WORKER_STATES),
  started_at: z.string(),
  last_heartbeat_at: z.string(),
  heartbeat_age_seconds: z.number(),
});

export const workerListSchema = z.object({
  workers: z.array(workerSchema),
  retention_seconds: z.int().describe('Stopped and lost workers are listed for this long after their last heartbeat.'),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** Turns zod's issues into ours: one entry per problem, all of them, named by field. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? fieldPath(issue.path) : 'body';
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return { field, message: 'is required' };
    }
    return { field, message: issue.message };
  });
}

/** `['tasks', 2, 'depends_on', 0]` → `tasks[2].depends_on[0]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

/** Parses `input` or throws a ValidationError listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(toValidationIssues(parsed.error));
  return parsed.data;
}
