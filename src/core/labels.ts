/**
 * Labels say what a worker offers (`gpu=true,region=eu`); a task's
 * `required_labels` say what it needs. A worker takes a task only when its
 * labels include every pair the task requires; a task that requires nothing
 * runs anywhere.
 */
import { ValidationError } from './errors.js';
import { echoed, forbiddenKeyIssues } from './input-rules.js';

export type Labels = Record<string, string>;

export const MAX_LABELS = 20;

// No `=`, `,` or spaces: labels are written as `k=v,k2=v2` on command lines
// and in CLAUDE_WORKER_LABELS, and must read back the same.
const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$/;
const LABEL_VALUE = /^[A-Za-z0-9_.:/-]{1,200}$/;

/**
 * What is wrong with `labels` (too many, a bad name or value), each issue
 * named by its label; the one rule of the REST field and of parseLabelList.
 */
export function labelIssues(labels: Labels): { path: string[]; message: string }[] {
  const names = Object.keys(labels);
  const issues: { path: string[]; message: string }[] = [];
  if (names.length > MAX_LABELS) issues.push({ path: [], message: `at most ${MAX_LABELS} labels (got ${names.length})` });
  for (const name of names) {
    if (!LABEL_NAME.test(name)) {
      issues.push({
        path: [name],
        message: `label name ${echoed(name)} must start with a letter or digit and use only letters, digits and _ . / - (at most 63 characters)`,
      });
    }
    if (!LABEL_VALUE.test(labels[name]!)) {
      issues.push({ path: [name], message: `label value ${echoed(labels[name])} must be 1 to 200 letters, digits or _ . : / -` });
    }
  }
  return issues;
}

/**
 * `gpu=true,region=eu` as labels, checked like the REST field; an empty
 * string is no labels. Every problem is reported at once, named `field`.
 */
export function parseLabelList(text: string, field: string): Labels {
  // No prototype: a `__proto__=x` pair stays a pair, and is refused below like in a JSON body.
  const labels: Labels = Object.create(null) as Labels;
  const issues: { field: string; message: string }[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '' && text.trim() === '') continue;
    const equals = entry.indexOf('=');
    if (equals <= 0) {
      issues.push({ field, message: `"${entry}" is not of the form name=value` });
      continue;
    }
    const name = entry.slice(0, equals).trim();
    const value = entry.slice(equals + 1).trim();
    if (name in labels && labels[name] !== value) {
      issues.push({ field, message: `label ${name} is given twice, as ${labels[name]} and as ${value}` });
    }
    labels[name] = value;
  }
  issues.push(...forbiddenKeyIssues(labels).map((issue) => ({ field, message: issue.message })));
  issues.push(...labelIssues(labels).map((issue) => ({ field, message: issue.message })));
  if (issues.length > 0) throw new ValidationError(issues);
  return sortedLabels(labels);
}

/** `gpu=true,region=eu`, names in order; empty for no labels. */
export function formatLabels(labels: Labels): string {
  return Object.entries(sortedLabels(labels))
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
}

/** The same labels with their names in order, so they are stored and shown one way. */
export function sortedLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether a worker with labels `offered` may take a task that requires `required`. */
export function satisfiesLabels(offered: Labels, required: Labels): boolean {
  return Object.entries(required).every(([name, value]) => offered[name] === value);
}
