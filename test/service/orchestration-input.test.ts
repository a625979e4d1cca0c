import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../src/core/errors.js';
import { MAX_ORCHESTRATION_TASKS } from '../../src/core/orchestration.js';
import { validateOrchestrationInput } from '../../src/service/orchestration-input.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-graph-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const node = (identifier: string, depends_on: string[] = [], extra: Record<string, unknown> = {}) => ({
  identifier,
  depends_on,
  execution_prompt: `Do ${identifier} in ./src`,
  working_directory: dir,
  ...extra,
});

async function issuesOf(input: unknown): Promise<ValidationIssue[]> {
  try {
    await validateOrchestrationInput(input);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('orchestration input validation', () => {
  it('accepts a diamond and fills nothing it was not given', async () => {
    const valid = await validateOrchestrationInput({
      name: 'diamond',
      tasks: [node('a'), node('b', ['a']), node('c', ['a']), node('d', ['b', 'c'])],
    });
    expect(valid.tasks.map((t) => t.identifier)).toEqual(['a', 'b', 'c', 'd']);
    expect(valid.failure_policy).toBeUndefined();
  });

  it('reports every problem of the graph at once, each named by its field', async () => {
    const issues = await issuesOf({
      name: 'broken',
      tasks: [
        node('a', ['c']),
        node('b', ['a', 'ghost']),
        node('c', ['b']),
        node('a'),
        node('self', ['self']),
        node('bad', [], { working_directory: join(dir, 'missing'), max_turns: 0 }),
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          field: 'tasks[1].depends_on[1]',
          message: expect.stringMatching(/^no task has the identifier "ghost" \(identifiers: a, b, c, self, bad\)/),
        },
        { field: 'tasks[3].identifier', message: '"a" is already the identifier of tasks[0]' },
        { field: 'tasks[4].depends_on[0]', message: 'task "self" depends on itself' },
        { field: 'tasks[1].depends_on[0]', message: 'cycle: a -> c -> b -> a' },
        { field: 'tasks[5].working_directory', message: `${join(dir, 'missing')} does not exist` },
        { field: 'tasks[5].max_turns', message: expect.any(String) },
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('names each separate cycle', async () => {
    const issues = await issuesOf({
      name: 'two loops',
      tasks: [node('x', ['y']), node('y', ['x']), node('p', ['q']), node('q', ['p'])],
    });
    expect(issues.map((issue) => issue.message)).toEqual(['cycle: x -> y -> x', 'cycle: p -> q -> p']);
  });

  it('reports field problems and graph problems together', async () => {
    const issues = await issuesOf({
      name: '',
      failure_policy: 'sometimes',
      tasks: [{ identifier: 'a', depends_on: ['b'], working_directory: 'relative' }],
    });
    expect(issues.map((issue) => issue.field).sort()).toEqual([
      'failure_policy',
      'name',
      'tasks[0].depends_on[0]',
      'tasks[0].execution_prompt',
      'tasks[0].working_directory',
    ]);
  });

  it('refuses an empty graph and one over the size limit', async () => {
    expect(await issuesOf({ name: 'empty', tasks: [] })).toEqual([
      { field: 'tasks', message: 'an orchestration needs at least one task' },
    ]);
    const huge = Array.from({ length: MAX_ORCHESTRATION_TASKS + 1 }, (_, i) => node(`t${i}`));
    expect(await issuesOf({ name: 'huge', tasks: huge })).toEqual([
      { field: 'tasks', message: `an orchestration holds at most ${MAX_ORCHESTRATION_TASKS} tasks` },
    ]);
  });

  it('walks a long chain without running out of stack', async () => {
    const chain = Array.from({ length: MAX_ORCHESTRATION_TASKS }, (_, i) =>
      node(`n${i}`, i === 0 ? [`n${MAX_ORCHESTRATION_TASKS - 1}`] : [`n${i - 1}`]),
    );
    const issues = await issuesOf({ name: 'ring', tasks: chain });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^cycle: n0 -> n499 -> n498 .* -> n1 -> n0$/);
  });
});
