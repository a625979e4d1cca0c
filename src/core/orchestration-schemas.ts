/**
 * Input and output schemas of orchestrations, shared by every door like
 * those of tasks (schemas.ts). A task of an orchestration takes the fields
 * of a lone task (the same rules, from the same schema) plus its place in
 * the graph; the graph's own rules are in task-graph.ts.
 */
import { z } from 'zod';
import { FAILURE_POLICIES, MAX_ORCHESTRATION_TASKS, ORCHESTRATION_STATUSES } from './orchestration.js';
import { budgetUsd, wholeNumber } from './schema-rules.js';
import { createTaskInputSchema, pageQueryShape, taskSchema, webhookUrlSchema } from './schemas.js';
import { TASK_STATUSES } from './task.js';

/** Longest wait after the dependencies end: a week, like the longest timeout. */
export const MAX_INITIAL_DELAY_SECONDS = 7 * 24 * 3600;

export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

const identifierSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'identifier must be a string') })
  .max(100, { error: 'identifier is longer than 100 characters' })
  .regex(IDENTIFIER_PATTERN, {
    error: 'identifier must start with a letter or digit and hold only letters, digits and _ . : -',
  });

export const orchestrationTaskInputSchema = createTaskInputSchema.omit({ idempotency_key: true }).extend({
  identifier: identifierSchema.describe('Unique name of the task in this orchestration; other tasks name it in depends_on.'),
  depends_on: z
    .array(z.string({ error: 'an entry of depends_on must be a task identifier' }))
    .max(MAX_ORCHESTRATION_TASKS)
    .nullish()
    .describe('Identifiers of the tasks that must end before this one starts.'),
  initial_delay: z
    .int()
    .min(0)
    .max(MAX_INITIAL_DELAY_SECONDS)
    .nullish()
    .describe('Seconds to wait after the dependencies ended (for a task without any: after the submit); default 0.'),
});
export type OrchestrationTaskInput = z.infer<typeof orchestrationTaskInputSchema>;

export const createOrchestrationInputSchema = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .max(200, { error: 'name is longer than 200 characters' })
    .refine((s) => s.trim().length > 0, { error: 'name must not be empty' })
    .nullish()
    .describe('What the orchestration is for, for people reading lists; default "orchestration <id>".'),
  failure_policy: z
    .enum(FAILURE_POLICIES)
    .nullish()
    .describe(
      'skip_dependents (default): a task that fails, is cancelled or skipped skips every task after it; continue: a task runs once its dependencies ended, whatever their outcome.',
    ),
  pass_results: z
    .boolean()
    .nullish()
    .describe("Add each dependency's status, summary and directory to a task's prompt when it starts; default true."),
  key: z
    .string()
    .min(1)
    .max(200)
    .nullish()
    .describe('Submitting the same key again returns the existing orchestration instead of creating another.'),
  budget_usd: budgetUsd('budget_usd')
    .nullish()
    .describe(
      'Once its tasks have spent this many US dollars in all, its running tasks are stopped and the rest skipped ' +
        '(error_code budget_exceeded).',
    ),
  webhook_url: webhookUrlSchema
    .nullish()
    .describe('Also POST the webhooks of this orchestration and of each of its tasks here, besides the server’s receiver.'),
  tasks: z
    .array(orchestrationTaskInputSchema)
    .min(1, { error: 'an orchestration needs at least one task' })
    .max(MAX_ORCHESTRATION_TASKS, { error: `an orchestration holds at most ${MAX_ORCHESTRATION_TASKS} tasks` }),
});
export type CreateOrchestrationInput = z.infer<typeof createOrchestrationInputSchema>;

export const orchestrationIdSchema = wholeNumber('orchestration id', 1);

export const listOrchestrationsQuerySchema = z.strictObject(pageQueryShape);
export type ListOrchestrationsQuery = z.input<typeof listOrchestrationsQuerySchema>;

const countsSchema = z.object(
  Object.fromEntries(TASK_STATUSES.map((status) => [status, z.int()])) as Record<(typeof TASK_STATUSES)[number], z.ZodInt>,
);

export const orchestrationSchema = z.object({
  id: z.int(),
  name: z.string(),
  key: z.string().nullable(),
  failure_policy: z.enum(FAILURE_POLICIES),
  pass_results: z.boolean(),
  status: z.enum(ORCHESTRATION_STATUSES),
  counts: countsSchema,
  budget_usd: z.number().nullable().describe('The most its tasks may spend in all; null: no cap.'),
  spent_usd: z.number().describe('What its tasks have cost so far, as their agents reported it.'),
  created_at: z.string(),
  cancel_requested: z.boolean(),
  webhook_url: z.string().nullable(),
});

export const orchestrationDetailSchema = orchestrationSchema.extend({
  tasks: z.array(taskSchema.extend({ depends_on: z.array(z.string()) })),
});

export const orchestrationPageSchema = z.object({
  orchestrations: z.array(orchestrationSchema),
  next_cursor: z.string().nullable(),
});
