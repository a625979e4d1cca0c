import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import {
  applyPromptPolicy,
  PromptPolicyError,
  SIMPLICITY_GUIDANCE,
  withSimplicityGuidance,
} from '../../src/mcp/prompt-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'claude-worker-policy-'));
writeFileSync(join(dir, 'file.txt'), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const goodPrompt = 'Refactor src/app/config.ts so that every setting is read in one function; '.repeat(3);

async function problemsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PromptPolicyError);
  return (error as PromptPolicyError).problems;
}

describe('prompt policy', () => {
  it('strict: reports a short prompt, a missing path and a missing directory together, each with value, hint and example', async () => {
    const problems = await problemsOf(
      applyPromptPolicy({ execution_prompt: 'fix the bug', working_directory: 'no-such-dir' }, 'strict', dir),
    );
    expect(problems.map((p) => p.field)).toEqual(['execution_prompt', 'execution_prompt', 'working_directory']);
    expect(problems[0]!.message).toContain('150');
    expect(problems[1]!.message).toContain('no file or directory');
    expect(problems[2]!.message).toContain(join(dir, 'no-such-dir'));
    for (const problem of problems) {
      expect(problem.current_value).not.toBe('');
      expect(problem.hint.length).toBeGreaterThan(10);
      expect(problem.example.length).toBeGreaterThan(10);
    }
    expect(problems[0]!.current_value).toBe('fix the bug');
  });

  it('strict: a file is not a working directory', async () => {
    const problems = await problemsOf(
      applyPromptPolicy({ execution_prompt: goodPrompt, working_directory: 'file.txt' }, 'strict', dir),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('is not a directory');
  });

  it('lenient: skips the length and path rules but still needs an existing directory', async () => {
    const task = await applyPromptPolicy({ execution_prompt: 'fix it', working_directory: '.' }, 'lenient', dir);
    expect(task.working_directory).toBe(dir);
    const problems = await problemsOf(
      applyPromptPolicy({ execution_prompt: 'fix it', working_directory: 'gone' }, 'lenient', dir),
    );
    expect(problems.map((p) => p.field)).toEqual(['working_directory']);
  });

  it('resolves a relative working directory against the given cwd and keeps the other fields', async () => {
    const task = await applyPromptPolicy(
      { execution_prompt: goodPrompt, working_directory: '.', model: 'sonnet', max_turns: 3 },
      'strict',
      join(dir, '.'),
    );
    expect(task).toMatchObject({ working_directory: dir, model: 'sonnet', max_turns: 3 });
  });

  it('gives an empty system prompt the simplicity default and appends it to one that lacks it', () => {
    expect(withSimplicityGuidance(undefined)).toBe(SIMPLICITY_GUIDANCE);
    expect(withSimplicityGuidance('   ')).toBe(SIMPLICITY_GUIDANCE);
    expect(SIMPLICITY_GUIDANCE).toContain('John Carmack');
    expect(withSimplicityGuidance('Write tests first.')).toBe(`Write tests first.\n\n${SIMPLICITY_GUIDANCE}`);
    const already = 'Be simple and direct, like John Carmack would be.';
    expect(withSimplicityGuidance(already)).toBe(already);
  });

  it('defaults to strict and rejects an unknown policy name', () => {
    expect(loadConfig({}).promptPolicy).toBe('strict');
    expect(loadConfig({ CLAUDE_WORKER_PROMPT_POLICY: 'lenient' }).promptPolicy).toBe('lenient');
    expect(() => loadConfig({ CLAUDE_WORKER_PROMPT_POLICY: 'loose' })).toThrow(/CLAUDE_WORKER_PROMPT_POLICY/);
  });
});
