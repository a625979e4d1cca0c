/**
 * Field rules every door applies the same way: numbers written in decimal
 * digits only, text that may reach Claude Code's command line or environment,
 * keys that would change an object's prototype, and how much of a bad value
 * an error may echo back. Plain functions, without zod: the CLI checks
 * arguments with them without loading zod (see schema-rules.ts for their zod forms).
 */
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
 * `value` as a whole number in [min, max], when it is one as a JSON number or
 * as text of decimal digits (a path segment, a query parameter); else null.
 * `0x10`, `1e3`, `+1` or ` 7` are refused: read loosely, they would name
 * another task.
 */
export function asWholeNumber(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | null {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) && number >= min && number <= max ? number : null;
}

/** What is said of a `value` asWholeNumber refused, for the field named `what`. */
export function wholeNumberMessage(what: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): string {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return `${what} must be a whole number ${range}, in decimal digits (got ${echoed(value)})`;
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

/** Why `value` is not an amount of US dollars a run or an orchestration may spend (a number above 0, at most MAX_BUDGET_USD); null when it is one. */
export function budgetProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `${field} must be a number of US dollars, such as 0.5 (got ${echoed(value)})`;
  }
  if (value <= 0) return `${field} must be above 0 (got ${echoed(value)})`;
  if (value > MAX_BUDGET_USD) return `${field} must be at most ${MAX_BUDGET_USD} (got ${echoed(value)})`;
  return null;
}
