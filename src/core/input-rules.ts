/**
 * Field rules every door applies the same way: numbers written in decimal
 * digits only, text that may reach Claude Code's command line or environment,
 * keys that would change an object's prototype, and how much of a bad value
 * an error may echo back.
 */
import { z } from 'zod';
import type { ValidationIssue } from './errors.js';

/** An error quotes at most this much of a value it refuses: enough to recognise it, never the whole of a huge one. */
export const MAX_ECHOED_CHARS = 200;

/** `value` as it reads in an error message: JSON-quoted, cut to MAX_ECHOED_CHARS with a note of its length. */
export function echoed(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  const quoted = typeof value === 'string' ? JSON.stringify(text.slice(0, MAX_ECHOED_CHARS)) : text.slice(0, MAX_ECHOED_CHARS);
  return text.length > MAX_ECHOED_CHARS ? `${quoted}… (${text.length} characters)` : quoted;
}

/** `['tasks', 2, 'depends_on', 0]` → `tasks[2].depends_on[0]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

const DECIMAL_DIGITS = /^\d+$/;

/**
 * A whole number in [min, max], as a JSON number or as text of decimal digits
 * (a path segment, a query parameter). `0x10`, `1e3`, `+1` or ` 7` are refused:
 * read loosely, they would name another task.
 */
export function wholeNumber(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return z.union([z.number(), z.string()]).transform((value, context) => {
    const number = typeof value === 'number' ? value : DECIMAL_DIGITS.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    context.addIssue({
      code: 'custom',
      input: value,
      message: `${what} must be a whole number ${range}, in decimal digits (got ${echoed(value)})`,
    });
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

/** Model ids and aliases: `sonnet`, `claude-sonnet-4-5`, `sonnet[1m]`, Bedrock and Vertex ids (`us.anthropic.…:0`, `…@2025…`). */
export const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/[\]-]*$/;

/**
 * Keys a JSON object may hold but an object in this process must not take
 * on: `__proto__` (assigning it replaces the prototype, so the pair is
 * silently lost) and `constructor.prototype`. One issue per such key, named
 * by its place in `value`.
 */
export function forbiddenKeyIssues(value: unknown, path: PropertyKey[] = []): ValidationIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (
      key === '__proto__' ||
      (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'))
    ) {
      issues.push({
        field: fieldPath([...path, key]),
        message: `the key "${key}" is refused: it would change the prototype of the object that holds it`,
      });
      continue;
    }
    issues.push(...forbiddenKeyIssues(child, [...path, Array.isArray(value) ? Number(key) : key]));
  }
  return issues;
}

/** Past this a budget is almost certainly a typo (cents written as dollars); no run is meant to cost more. */
export const MAX_BUDGET_USD = 10_000;

/** An amount of US dollars a run or an orchestration may spend: a JSON number above 0, at most MAX_BUDGET_USD. */
export function budgetUsd(field: string) {
  return z
    .number({ error: (issue) => `${field} must be a number of US dollars, such as 0.5 (got ${echoed(issue.input)})` })
    .gt(0, { error: (issue) => `${field} must be above 0 (got ${echoed(issue.input)})` })
    .max(MAX_BUDGET_USD, { error: (issue) => `${field} must be at most ${MAX_BUDGET_USD} (got ${echoed(issue.input)})` });
}
