import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';
import { gitIn, makeRepository } from '../support/git-repo.js';

let cli: DaemonHome;

beforeEach(async () => {
  cli = await createDaemonHome(2);
});

afterEach(async () => {
  await cli.dispose();
});

describe('claude-worker continue', () => {
  it("runs a follow-up on the ended task's branch, and status shows what it continues", async () => {
    const repo = await makeRepository(join(await realpath(cli.home), 'repo'));
    const run = await cli.run(['run', '[fake:success] Write the output file', '--dir', repo, '--watch', '--json']);
    expect(run.code).toBe(0);
    const parent = JSON.parse(run.stdout) as Task;

    const followUp = await cli.run(['continue', String(parent.id), '[fake:success] Write it once more', '--watch', '--json']);
    expect(followUp.code).toBe(0);
    const task = JSON.parse(followUp.stdout) as Task;
    expect(task).toMatchObject({
      status: 'completed',
      continues: parent.id,
      branch: parent.branch,
      worktree_path: parent.worktree_path,
      base_commit: parent.head_commit,
    });
    expect(gitIn(repo, 'rev-parse', `${task.branch!}~1`)).toBe(parent.head_commit);
    // The fake Claude Code keeps no session, so the follow-up starts over with the earlier prompt and summary.
    expect(gitIn(repo, 'show', `${task.branch!}:fake-output.txt`)).toContain(`This task continues task ${parent.id}`);
    expect((await cli.run(['logs', String(task.id)])).stdout).toContain(`going on in the worktree of task ${parent.id}`);

    const status = await cli.run(['status', String(task.id)]);
    expect(status.stdout).toMatch(new RegExp(`^Continues: +task ${parent.id}$`, 'm'));
  });

  it('refuses a task that has not ended, storing nothing', async () => {
    const run = await cli.run(['run', '[fake:hang] Wait for ever', '--json']);
    const hanging = JSON.parse(run.stdout) as Task;
    const refused = await cli.run(['continue', String(hanging.id), 'Go on']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(`Task ${hanging.id} is (pending|running); only a completed, failed or cancelled task can be continued`),
    );
    expect((JSON.parse((await cli.run(['list', '--json'])).stdout) as { tasks: Task[] }).tasks).toHaveLength(1);
    await cli.run(['cancel', String(hanging.id)]);
  });
});
