import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FailurePolicy, OrchestrationTask } from '../../src/core/orchestration.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { waitFor } from '../support/wait.js';
import { useWorkspaceRunner } from '../support/workspace-runner.js';

const harness = useWorkspaceRunner();

/** `[fake:edit]` tasks on `shared.txt` of a new repository: `{ identifier: [prompt, dependencies] }`. */
async function runGraph(
  tasks: Record<string, [string, string[]]>,
  failure_policy: FailurePolicy = 'skip_dependents',
): Promise<{ repo: string; submittedAt: string; tasks: Record<string, OrchestrationTask> }> {
  const { service, dir } = harness;
  const repo = await makeRepository(join(dir, 'repo'));
  const submittedAt = gitIn(repo, 'rev-parse', 'HEAD');
  const { orchestration } = await service.submitOrchestration({
    failure_policy,
    tasks: Object.entries(tasks).map(([identifier, [prompt, depends_on]]) => ({
      identifier,
      depends_on,
      execution_prompt: `[fake:edit] ${prompt}`,
      working_directory: repo,
      isolation: 'worktree' as const,
    })),
  });
  await harness.startRunner();
  const ended = await waitFor(
    async () => {
      const current = await service.getOrchestration(orchestration.id);
      return current.status === 'running' ? null : current;
    },
    { what: `orchestration ${orchestration.id} to end` },
  );
  return { repo, submittedAt, tasks: Object.fromEntries(ended.tasks.map((task) => [task.identifier!, task])) };
}

const lineOf = async (task: OrchestrationTask, n: number) =>
  (await readFile(join(task.worktree_path!, 'shared.txt'), 'utf8')).split('\n')[n - 1];

describe('a task that depends on another', () => {
  it("starts from that task's head: its worktree holds the file the first one wrote", async () => {
    const { tasks } = await runGraph({ a: ['A: make the file', []], b: ['[line:3] B: change line 3', ['a']] });
    const { a, b } = tasks;
    expect(b).toMatchObject({ status: 'completed', base_commit: a!.head_commit });
    expect(await lineOf(b!, 1)).toBe('line 1');
    expect(await lineOf(b!, 3)).toMatch(/^line 3: \[fake:edit\] \[line:3\] B/);
    // Only its own line: the file came with its base.
    expect(b!.changes).toEqual({ files: 1, insertions: 1, deletions: 1 });
  });
});

describe('a task that depends on several', () => {
  it('starts from a merge of their heads: both changes in its worktree, both commits on its branch', async () => {
    const { repo, submittedAt, tasks } = await runGraph({
      a: ['A: make the file', []],
      b: ['[line:2] B: change line 2', ['a']],
      c: ['[line:9] C: change line 9', ['a']],
      d: ['[line:5] D: change line 5', ['b', 'c']],
    });
    const { b, c, d } = tasks;
    expect(d!.status).toBe('completed');
    expect(await lineOf(d!, 2)).toMatch(/^line 2: \[fake:edit\] \[line:2\] B/);
    expect(await lineOf(d!, 9)).toMatch(/^line 9: \[fake:edit\] \[line:9\] C/);
    expect(await lineOf(d!, 5)).toMatch(/^line 5: \[fake:edit\] \[line:5\] D/);
    for (const dependency of [b!, c!]) {
      gitIn(repo, 'merge-base', '--is-ancestor', dependency.head_commit!, d!.branch!);
    }
    // Its recorded base is the merge it started from, so its diff is its own work only.
    expect(gitIn(repo, 'rev-parse', `${d!.base_commit}^1`, `${d!.base_commit}^2`)).toBe(`${b!.head_commit}\n${c!.head_commit}`);
    expect(d!.changes).toEqual({ files: 1, insertions: 1, deletions: 1 });
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(submittedAt);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });

  it('fails merge_conflict naming the file when their changes overlap, and its dependents are skipped', async () => {
    const { repo, tasks } = await runGraph({
      a: ['A: make the file', []],
      b: ['[line:5] B: change line 5', ['a']],
      c: ['[line:5] C: change line 5 too', ['a']],
      d: ['[line:1] D: never runs', ['b', 'c']],
      e: ['[line:1] E: after d', ['d']],
    });
    const { d, e } = tasks;
    expect(d).toMatchObject({ status: 'failed', error_code: 'merge_conflict', branch: null, worktree_path: null });
    expect(d!.error_message).toMatch(
      /^Merging the work of b \([0-9a-f]{12}\) and c \([0-9a-f]{12}\), the tasks it depends on, conflicts in shared\.txt\. /,
    );
    // Failed before anything was made: no branch, no worktree.
    expect(gitIn(repo, 'branch', '--list', `claude-worker/${d!.id}-*`)).toBe('');
    expect(e!.status).toBe('skipped');
  });

  it('lets its dependents run under continue, from their own base when no dependency has a head', async () => {
    const { submittedAt, tasks } = await runGraph(
      {
        a: ['A: make the file', []],
        b: ['[line:5] B: change line 5', ['a']],
        c: ['[line:5] C: change line 5 too', ['a']],
        d: ['[line:1] D: never runs', ['b', 'c']],
        e: ['E: after d', ['d']],
      },
      'continue',
    );
    expect(tasks.d).toMatchObject({ status: 'failed', error_code: 'merge_conflict' });
    expect(tasks.e).toMatchObject({ status: 'completed', base_commit: submittedAt });
    expect(await lineOf(tasks.e!, 5)).toBe('line 5');
  });
});
