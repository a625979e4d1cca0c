import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrchestrationDetail, OrchestrationTask } from '../../src/core/orchestration.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { waitFor } from '../support/wait.js';
import { useWorkspaceRunner } from '../support/workspace-runner.js';

const harness = useWorkspaceRunner();

/** `[fake:edit]` tasks on `shared.txt` of a new repository: `{ identifier: [prompt, dependencies] }`, not yet run. */
async function submitGraph(tasks: Record<string, [string, string[]]>): Promise<{ repo: string; id: number }> {
  const repo = await makeRepository(join(harness.dir, 'repo'));
  const { orchestration } = await harness.service.submitOrchestration({
    tasks: Object.entries(tasks).map(([identifier, [prompt, depends_on]]) => ({
      identifier,
      depends_on,
      execution_prompt: `[fake:edit] ${prompt}`,
      working_directory: repo,
      isolation: 'worktree' as const,
    })),
  });
  return { repo, id: orchestration.id };
}

async function runGraph(tasks: Record<string, [string, string[]]>) {
  const { repo, id } = await submitGraph(tasks);
  await harness.startRunner();
  const ended = await waitFor(
    async () => {
      const current = await harness.service.getOrchestration(id);
      return current.status === 'running' ? null : current;
    },
    { what: `orchestration ${id} to end` },
  );
  return { repo, id, tasks: byIdentifier(ended) };
}

const byIdentifier = (detail: OrchestrationDetail): Record<string, OrchestrationTask> =>
  Object.fromEntries(detail.tasks.map((task) => [task.identifier!, task]));

const fileAt = (repo: string, commit: string) => gitIn(repo, 'show', `${commit}:shared.txt`).split('\n');

describe('merging an orchestration', () => {
  it("fast-forwards the checked-out branch to the head of its one sink, which holds the others' work", async () => {
    const { repo, id, tasks } = await runGraph({
      a: ['A: make the file', []],
      b: ['[line:2] B: change line 2', ['a']],
      c: ['[line:9] C: change line 9', ['a']],
      d: ['[line:5] D: change line 5', ['b', 'c']],
    });
    expect(tasks.d!.status).toBe('completed');

    const outcome = await harness.service.mergeOrchestration(id);

    expect(outcome).toMatchObject({
      into: 'main',
      fast_forward: true,
      already_merged: false,
      merge_commit: tasks.d!.head_commit,
    });
    expect(gitIn(repo, 'rev-parse', 'main')).toBe(tasks.d!.head_commit);
    // The checkout follows its branch: the files are there, nothing left uncommitted.
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    const merged = byIdentifier(outcome.orchestration);
    expect(merged.d).toMatchObject({ merge_commit: tasks.d!.head_commit, merged_at: expect.any(String) });
    // Only the sink is recorded as merged: the others were merged through it.
    expect(merged.b!.merged_at).toBeNull();
  });

  it('makes one merge commit holding the work of two sinks that change different places', async () => {
    const { repo, id, tasks } = await runGraph({
      a: ['A: make the file', []],
      b: ['[line:2] B: change line 2', ['a']],
      c: ['[line:9] C: change line 9', ['a']],
    });
    const before = gitIn(repo, 'rev-parse', 'main');

    const outcome = await harness.service.mergeOrchestration(id);

    const main = gitIn(repo, 'rev-parse', 'main');
    expect(outcome).toMatchObject({ into: 'main', already_merged: false, merge_commit: main });
    expect(main).not.toBe(before);
    // One merge commit whose parents are the two heads.
    expect(gitIn(repo, 'rev-parse', `${main}^1`, `${main}^2`).split('\n').sort()).toEqual(
      [tasks.b!.head_commit, tasks.c!.head_commit].sort(),
    );
    const lines = fileAt(repo, main);
    expect(lines[1]).toMatch(/^line 2: \[fake:edit\] \[line:2\] B/);
    expect(lines[8]).toMatch(/^line 9: \[fake:edit\] \[line:9\] C/);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    const merged = byIdentifier(outcome.orchestration);
    for (const sink of ['b', 'c']) expect(merged[sink]).toMatchObject({ merge_commit: main, merged_at: expect.any(String) });
    expect(merged.a!.merged_at).toBeNull();
  });

  it('refuses with 409, changing nothing, while a task of it has not ended', async () => {
    const { repo, id } = await submitGraph({ a: ['A: make the file', []], b: ['[line:2] B: change line 2', ['a']] });
    const before = gitIn(repo, 'rev-parse', 'main');

    const refusal = harness.service.mergeOrchestration(id);

    await expect(refusal).rejects.toMatchObject({ httpStatus: 409 });
    await expect(refusal).rejects.toThrow(/Orchestration \d+ has task \d+ \(a\) still pending.*Nothing was changed/);
    expect(gitIn(repo, 'rev-parse', 'main')).toBe(before);
    const tasks = (await harness.service.getOrchestration(id)).tasks;
    expect(tasks.map((task) => task.merged_at)).toEqual([null, null]);
  });

  it('refuses with 409 naming the file when its sinks conflict, changing nothing', async () => {
    const { repo, id } = await runGraph({
      a: ['A: make the file', []],
      b: ['[line:5] B: change line 5', ['a']],
      c: ['[line:5] C: change line 5 too', ['a']],
    });
    const before = gitIn(repo, 'rev-parse', 'main');

    const refusal = harness.service.mergeOrchestration(id);

    await expect(refusal).rejects.toMatchObject({ httpStatus: 409, files: ['shared.txt'] });
    await expect(refusal).rejects.toThrow(/conflicts in shared\.txt\. Nothing was changed\./);
    expect(gitIn(repo, 'rev-parse', 'main')).toBe(before);
    expect((await harness.service.getOrchestration(id)).tasks.every((task) => task.merged_at === null)).toBe(true);
  });
});
