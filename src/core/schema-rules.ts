/**
 * The field rules of input-rules.ts as zod schemas, for the request schemas
 * of every door.
 */
import { z } from 'zod';
import { asWholeNumber, budgetProblem, wholeNumberMessage } from './input-rules.js';

/** A whole number in [min, max], by the rule of asWholeNumber. */
export function wholeNumber(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.union([z.number(), z.string()]).transform((value, context) => {
    const number = asWholeNumber(value, min, max);
    if (number !== null) return number;
    context.addIssue({ code: 'custom', input: value, message: wholeNumberMessage(what, value, min, max) });
    return z.NEVER;
  });
}

/**
 * Text handed to Claude Code: the model goes on its command line, the
 * working directory becomes its current directory, the prompts go through
 * its input. The operating system refuses a NUL byte in any of them, so the
 * task would fail at start; it is refused at submit instead.
 */
export function refusesNul<S extends z.ZodString>(schema: S, field: string) {
  return schema.refine((text) => !text.includes('\0'), {
    error: `${field} must not contain a NUL byte (\\u0000): Claude Code could not be started with it`,
  });
}

/** An amount of US dollars a run or an orchestration may spend, by the rule of budgetProblem. */
export function budgetUsd(field: string) {
  return z.custom<number>((value) => budgetProblem(field, value) === null, {
    error: (issue) => budgetProblem(field, issue.input) ?? `${field} is not an amount of US dollars`,
  });
}
