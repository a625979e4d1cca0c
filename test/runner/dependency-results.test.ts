import { describe, expect, it } from 'vitest';
import { RESULTS_BEGIN, RESULTS_END, shorten, withDependencyResults } from '../../src/runner/dependency-results.js';
import type { DependencyResult } from '../../src/store/orchestration-records.js';

const result = (identifier: string, overrides: Partial<DependencyResult> = {}): DependencyResult => ({
  identifier,
  status: 'completed',
  final_summary: `${identifier} is done`,
  error_message: null,
  working_directory: `/srv/${identifier}`,
  ...overrides,
});

describe('the results section of a dependent task', () => {
  it('leaves the prompt of a task without dependencies as it is', () => {
    expect(withDependencyResults('Do it', [])).toBe('Do it');
  });

  it('follows the prompt, delimited, with each dependency: identifier, status, directory, error and summary', () => {
    const prompt = withDependencyResults('Merge the branches', [
      result('left'),
      result('right', { status: 'failed', final_summary: null, error_message: 'tests failed' }),
    ]);
    expect(prompt).toBe(
      [
        'Merge the branches',
        '',
        RESULTS_BEGIN,
        '',
        '--- Task "left": completed',
        'Working directory: /srv/left',
        'Summary:',
        'left is done',
        '',
        '--- Task "right": failed',
        'Working directory: /srv/right',
        'Error: tests failed',
        'Summary:',
        '(none)',
        '',
        RESULTS_END,
        '',
      ].join('\n'),
    );
  });

  it('keeps the start and the end of a long summary, and shares a budget between many dependencies', () => {
    const long = `BEGIN${'x'.repeat(100_000)}END`;
    const one = withDependencyResults('p', [result('big', { final_summary: long })]);
    expect(one).toContain('BEGIN');
    expect(one).toContain('END');
    expect(one).toMatch(/\[… \d+ characters left out …\]/);
    expect(one.length).toBeLessThan(41_000);

    const many = withDependencyResults(
      'p',
      Array.from({ length: 100 }, (_, i) => result(`t${i}`, { final_summary: long })),
    );
    expect(many.length).toBeLessThan(100 * 1_200);
  });

  it('shortens only what is over the limit', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('abcdefghijkl', 4)).toBe('ab\n[… 8 characters left out …]\nkl');
  });
});
