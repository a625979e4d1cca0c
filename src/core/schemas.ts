/**
 * Input and output schemas shared by every door. The REST server derives its
 * validation and OpenAPI document from these; the CLI, the client and MCP
 * validate with the same ones, so a rule changes in one place.
 */
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';
import { echoed, fieldPath, forbiddenKeyIssues, MAX_ECHOED_CHARS, MODEL_PATTERN } from './input-rules.js';
import { labelIssues } from './labels.js';
import { PAUSE_KINDS } from './queue-pause.js';
import { budgetUsd, refusesNul, wholeNumber } from './schema-rules.js';
import { FAILURE_CODES, ISOLATION_MODES, MAX_LIST_LIMIT, MAX_TIMEOUT_SECONDS, PERMISSION_MODES, TASK_STATUSES } from './task.js';
import { WORKER_STATES } from './worker.js';

/** Prompts past this size are almost certainly a mistake (a binary piped in, say). */
export const MAX_PROMPT_CHARS = 200_000;

const nonBlank = (field: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `${field} must be a string`) })
    .max(max, { error: `${field} is longer than ${max} characters` })
    .refine((s) => s.trim().length > 0, { error: `${field} must not be empty` });

/** How a new task's workspace is made; orchestration task specs take the same fields. */
export const workspaceInputShape = {
  isolation: z
    .enum(ISOLATION_MODES)
    .nullish()
    .describe(
      "worktree: run in a git worktree and branch of the task's own; none: in the working directory itself. " +
        "Default: the server's (worktree inside a git repository with a commit).",
    ),
  base: refusesNul(z.string().min(1).max(1000), 'base')
    .nullish()
    .describe('The git ref the task starts from (isolation worktree); default: HEAD of the repository.'),
  include_uncommitted: z
    .boolean()
    .nullish()
    .describe("Start from a snapshot of the repository's uncommitted tracked changes instead of a commit."),
};

/** Where webhooks go: an absolute http(s) URL. */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), {
    error: (issue) => `webhook_url must be an absolute http(s) URL (got ${echoed(issue.input)})`,
  });

export const createTaskInputSchema = z.strictObject({
  execution_prompt: refusesNul(nonBlank('execution_prompt', MAX_PROMPT_CHARS), 'execution_prompt').describe(
    'What the agent should do.',
  ),
  working_directory: refusesNul(nonBlank('working_directory', 4096), 'working_directory').describe(
    'Absolute path of an existing directory the agent works in.',
  ),
  system_prompt: refusesNul(z.string().max(MAX_PROMPT_CHARS), 'system_prompt')
    .nullish()
    .describe("Appended to Claude Code's own system prompt."),
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(MODEL_PATTERN, {
      error: (issue) =>
        `model must be a model id or alias such as sonnet or claude-sonnet-4-5: letters, digits and . _ : @ / [ ] - ` +
        `(got ${echoed(issue.input)})`,
    })
    .nullish()
    .describe("Model id or alias (`sonnet`, `opus`); default: Claude Code's."),
  permission_mode: z.enum(PERMISSION_MODES).nullish().describe("Claude Code permission mode; default: the server's."),
  max_turns: z.int().min(1).max(10_000).nullish().describe('Stop the agent after this many turns (task fails).'),
  max_budget_usd: budgetUsd('max_budget_usd')
    .nullish()
    .describe('Stop the agent once its estimated cost reaches this many US dollars (task fails with max_budget).'),
  timeout_seconds: z
    .int()
    .min(1)
    .max(MAX_TIMEOUT_SECONDS)
    .nullish()
    .describe("Stop the agent after this many seconds (task fails); default: the server's."),
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .nullish()
    .describe('Submitting the same key again returns the existing task instead of creating another.'),
  required_labels: z
    .record(z.string(), z.string())
    .superRefine((labels, context) => {
      for (const issue of labelIssues(labels)) context.addIssue({ code: 'custom', ...issue });
    })
    .nullish()
    .describe('Only a worker whose labels include every one of these pairs runs the task, e.g. {"gpu": "true"}.'),
  webhook_url: webhookUrlSchema
    .nullish()
    .describe("Also POST this task's webhooks (task.completed, task.failed, ...) here, besides the server's receiver."),
  ...workspaceInputShape,
});
export type CreateTaskInput = z.infer<typeof createTaskInputSchema>;

/** A follow-up of an ended task: the next message of its conversation, and what may differ from the task it continues. */
export const continueTaskInputSchema = createTaskInputSchema
  .pick({ model: true, permission_mode: true, max_turns: true, max_budget_usd: true, timeout_seconds: true })
  .extend({
    message: refusesNul(nonBlank('message', MAX_PROMPT_CHARS), 'message').describe(
      "The next message of the task's conversation: what the agent should do now.",
    ),
  });
export type ContinueTaskInput = z.infer<typeof continueTaskInputSchema>;

export const taskIdSchema = wholeNumber('task id', 1);

/** The paging fields of every newest-first list. */
export const pageQueryShape = {
  limit: wholeNumber('limit', 1, MAX_LIST_LIMIT).default(50),
  // An id in the database; past the largest safe integer it would reach the store rounded (and PostgreSQL as 1e+26).
  cursor: z
    .string()
    .refine((cursor) => /^\d+$/.test(cursor) && Number.isSafeInteger(Number(cursor)), {
      error: (issue) => `cursor must be a value returned as next_cursor (got ${echoed(issue.input)})`,
    })
    .optional(),
};

export const listTasksQuerySchema = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  ...pageQueryShape,
});
export type ListTasksQuery = z.input<typeof listTasksQuerySchema>;

export const logsQuerySchema = z.strictObject({
  tail: wholeNumber('tail', 1, 100_000).optional(),
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

export const changeCountsSchema = z.object({ files: z.int(), insertions: z.int(), deletions: z.int() });

export const taskSchema = z.object({
  id: z.int(),
  status: z.enum(TASK_STATUSES),
  execution_prompt: z.string(),
  working_directory: z.string(),
  system_prompt: z.string().nullable(),
  model: z.string().nullable(),
  permission_mode: z.enum(PERMISSION_MODES),
  max_turns: z.int().nullable(),
  max_budget_usd: z.number().nullable(),
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
  limit_hits: z
    .int()
    .describe('Runs stopped by a usage or rate limit; the task went back to the queue and the attempt was not counted.'),
  not_before: z
    .string()
    .nullable()
    .describe('A pending task does not start before this time (a retry backoff, a usage limit reset).'),
  cancel_requested: z.boolean(),
  idempotency_key: z.string().nullable(),
  required_labels: z.record(z.string(), z.string()),
  webhook_url: z.string().nullable(),
  orchestration_id: z.int().nullable(),
  identifier: z.string().nullable(),
  isolation: z
    .enum(ISOLATION_MODES)
    .describe('worktree: the agent works in a git worktree and branch of its own; none: in place.'),
  base_commit: z.string().nullable().describe('The commit the task starts from (isolation worktree).'),
  branch: z.string().nullable().describe('The branch holding the task’s work, once its worktree is prepared.'),
  worktree_path: z.string().nullable(),
  head_commit: z.string().nullable().describe('The branch’s last commit when the agent stopped.'),
  changes: changeCountsSchema.nullable().describe('What the branch changed since base_commit.'),
  merged_at: z.string().nullable(),
  merge_commit: z.string().nullable(),
  continues: z.int().nullable().describe('The task this one follows up.'),
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

export const queuePauseSchema = z.object({
  kind: z.enum(PAUSE_KINDS).describe('usage_limit: the credential hit a usage limit; daily_budget: the daily cap was reached.'),
  reason: z.string(),
  paused_at: z.string(),
  paused_until: z.string().describe('No task is claimed before this time; then one goes first (the probe).'),
  probe_task_id: z.int().nullable().describe('The task that went first after paused_until, while it has not got through.'),
});

export const queueResumeSchema = z.object({
  resumed: z.boolean().describe('False when the queue was not paused.'),
  pause: queuePauseSchema.nullable().describe('The pause that was lifted.'),
});
export type QueueResume = z.infer<typeof queueResumeSchema>;

export const healthSchema = z.object({
  status: z.literal('healthy'),
  service: z.literal('claude-worker'),
  version: z.string(),
  uptime_seconds: z.number(),
  max_concurrency: z.int(),
  running: z.int(),
  pending: z.int(),
  // Servers of older versions send none.
  warnings: z.array(serverWarningSchema).default([]),
  paused_until: z
    .string()
    .nullable()
    .default(null)
    .describe('While the queue is paused (a usage limit, the daily budget): when claiming resumes.'),
  pause_reason: z.string().nullable().default(null),
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
  queue_pause: queuePauseSchema.nullable().default(null).describe('The pause every worker honours, if any.'),
  retention_seconds: z.int().describe('Stopped and lost workers are listed for this long after their last heartbeat.'),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** How many unknown field names one issue lists. */
const MAX_LISTED_KEYS = 20;

/**
 * Turns zod's issues into ours: one entry per problem, all of them, named by
 * field; a problem with the input as a whole is about `root` (`body` of a
 * request, `arguments` of a tool call).
 */
export function toValidationIssues(error: z.ZodError, root = 'body'): ValidationIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? fieldPath(issue.path) : root;
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `unknown field(s): ${listKeys(issue.keys)}` };
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return { field, message: 'is required' };
    }
    return { field, message: issue.message };
  });
}

/** Field names as a reply may echo them: the first few, each cut short. */
function listKeys(keys: readonly string[]): string {
  const listed = keys
    .slice(0, MAX_LISTED_KEYS)
    .map((key) => (key.length > MAX_ECHOED_CHARS ? `${key.slice(0, MAX_ECHOED_CHARS)}… (${key.length} characters)` : key));
  return keys.length > MAX_LISTED_KEYS ? `${listed.join(', ')} and ${keys.length - MAX_LISTED_KEYS} more` : listed.join(', ');
}

/**
 * Every problem of `input` against `schema`: its own rules plus the keys no
 * object may take (zod drops a `__proto__` key without a word, so it is
 * looked for in the input as sent).
 */
export function inputIssues<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root = 'body',
): { data: z.output<S> | undefined; issues: ValidationIssue[] } {
  const parsed = schema.safeParse(input);
  const issues = [...forbiddenKeyIssues(input), ...(parsed.success ? [] : toValidationIssues(parsed.error, root))];
  return { data: parsed.success ? parsed.data : undefined, issues };
}

/** Parses `input` or throws a ValidationError listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, root = 'body'): z.output<S> {
  const { data, issues } = inputIssues(schema, input, root);
  if (issues.length > 0) throw new ValidationError(issues);
  return data as z.output<S>;
}
