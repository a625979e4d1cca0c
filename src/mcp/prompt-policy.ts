/**
 * The MCP door's rules for a new task (the original's "smart validation").
 * A planning agent writes prompts for another agent that starts with no
 * context: a short prompt, or one that names no file or directory, is the
 * usual cause of a worker wandering. So `strict` rejects those, listing every
 * problem at once with what was sent, why it matters and a fix, so the
 * planner can retry in one round trip. `lenient` keeps only what every door
 * checks. The REST API and the CLI stay lenient.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PromptPolicy } from '../core/config.js';
import { ValidationError, type ValidationIssue } from '../core/errors.js';

export const MIN_EXECUTION_PROMPT_CHARS = 150;

/** The original's default: the worker should prefer the plainest thing that works. */
export const SIMPLICITY_GUIDANCE =
  'Work in the spirit of John Carmack: prefer simple, minimal, direct solutions. ' +
  'Change only what the task needs, avoid speculative abstractions and extra layers, ' +
  'and verify the result before you finish.';

/** An MCP validation problem: a ValidationIssue plus what the planner needs to retry. */
export interface PolicyProblem extends ValidationIssue {
  current_value: string;
  hint: string;
  example: string;
}

/** Thrown for a task the policy rejects; `problems` holds every one of them. */
export class PromptPolicyError extends ValidationError {
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems);
    this.name = 'PromptPolicyError';
  }
}

export interface TaskPrompt {
  execution_prompt: string;
  working_directory: string;
  system_prompt?: string | null | undefined;
}

/**
 * Checks a task against the policy and returns it ready to submit: the
 * working directory made absolute (relative to `cwd`, the MCP server's
 * directory) and the system prompt carrying the simplicity guidance.
 */
export async function applyPromptPolicy<T extends TaskPrompt>(task: T, policy: PromptPolicy, cwd: string): Promise<T> {
  const workingDirectory = task.working_directory.trim() === '' ? '' : resolve(cwd, task.working_directory);
  const problems = [
    ...(policy === 'strict' ? executionPromptProblems(task.execution_prompt) : []),
    ...(await workingDirectoryProblems(task.working_directory, workingDirectory)),
  ];
  if (problems.length > 0) throw new PromptPolicyError(problems);
  return { ...task, working_directory: workingDirectory, system_prompt: withSimplicityGuidance(task.system_prompt) };
}

export function withSimplicityGuidance(systemPrompt: string | null | undefined): string {
  const given = systemPrompt?.trim() ?? '';
  if (given === '') return SIMPLICITY_GUIDANCE;
  if (/carmack/i.test(given)) return given;
  return `${given}\n\n${SIMPLICITY_GUIDANCE}`;
}

function executionPromptProblems(prompt: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const field = 'execution_prompt';
  const current_value = prompt.length > 200 ? `${prompt.slice(0, 200)}...` : prompt;
  if (prompt.trim().length < MIN_EXECUTION_PROMPT_CHARS) {
    problems.push({
      field,
      message: `is ${prompt.trim().length} characters; at least ${MIN_EXECUTION_PROMPT_CHARS} are required`,
      current_value,
      hint: 'The worker starts with no context. Say what to change, where, why, and how to check the result.',
      example:
        'In src/parser/tokenizer.ts, make tokenize() accept CRLF line endings the same way as LF. ' +
        'Add a case to test/parser/tokenizer.test.ts with a CRLF input, run `npm test`, and keep the change minimal.',
    });
  }
  if (!/[\\/]/.test(prompt)) {
    problems.push({
      field,
      message: 'names no file or directory (no "/" or "\\" in it)',
      current_value,
      hint: 'Name the files or directories the worker should read or change, as paths.',
      example: 'Fix the off-by-one in src/pagination.ts (see test/pagination.test.ts) ...',
    });
  }
  return problems;
}

async function workingDirectoryProblems(given: string, absolute: string): Promise<PolicyProblem[]> {
  const field = 'working_directory';
  const example = '/home/me/projects/my-app (absolute), or a path relative to the directory the MCP server runs in';
  if (absolute === '') {
    return [{ field, message: 'must not be empty', current_value: given, hint: 'The directory the worker runs in.', example }];
  }
  try {
    if ((await stat(absolute)).isDirectory()) return [];
    return [
      {
        field,
        message: `${absolute} is not a directory`,
        current_value: given,
        hint: 'Pass the project directory, not a file in it.',
        example,
      },
    ];
  } catch {
    return [
      {
        field,
        message: `${absolute} does not exist`,
        current_value: given,
        hint: "Pass an existing directory; relative paths resolve against the MCP server's working directory.",
        example,
      },
    ];
  }
}
