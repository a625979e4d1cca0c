/**
 * The section a task of an orchestration gets after its own prompt: what
 * each task it depends on came to. Assembled when the task starts, from the
 * store, so the stored prompt stays as it was submitted and a retried
 * attempt reads the same results.
 */
import type { DependencyResult } from '../store/orchestration-records.js';

export const RESULTS_BEGIN = '===== Results of the tasks this task depends on =====';
export const RESULTS_END = '===== End of the results of the tasks this task depends on =====';

/**
 * All summaries together stay within this many characters, so a wide
 * fan-in cannot blow up the prompt; each gets an equal share, at least
 * MIN_SUMMARY_CHARS.
 */
const SUMMARIES_BUDGET_CHARS = 40_000;
const MIN_SUMMARY_CHARS = 1_000;

export function withDependencyResults(prompt: string, results: readonly DependencyResult[]): string {
  if (results.length === 0) return prompt;
  const share = Math.max(MIN_SUMMARY_CHARS, Math.floor(SUMMARIES_BUDGET_CHARS / results.length));
  const sections = results.map((result) => describeResult(result, share));
  return `${prompt}\n\n${RESULTS_BEGIN}\n\n${sections.join('\n\n')}\n\n${RESULTS_END}\n`;
}

function describeResult(result: DependencyResult, maxChars: number): string {
  const lines = [`--- Task "${result.identifier}": ${result.status}`, `Working directory: ${result.working_directory}`];
  if (result.status !== 'completed' && result.error_message) lines.push(`Error: ${result.error_message}`);
  lines.push(`Summary:\n${result.final_summary ? shorten(result.final_summary.trim(), maxChars) : '(none)'}`);
  return lines.join('\n');
}

/**
 * Keeps the start and the end of a long summary: the start says what was
 * done, the end usually holds the conclusion.
 */
export function shorten(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n[… ${omitted} characters left out …]\n${text.slice(-half)}`;
}
