import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TaskService } from '../../src/service/task-service.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { waitFor } from '../support/wait.js';
import { useWorkspaceRunner } from '../support/workspace-runner.js';

const harness = useWorkspaceRunner();
const { startRunner, ended } = harness;
let dir: string;
let service: TaskService;

beforeEach(() => {
  ({ dir, service } = harness);
});

describe('tasks with isolation worktree', () => {
  it('run side by side on one repository, each leaving a commit on its own branch, the checkout untouched', async () => {
    const repo = await makeRepository(join(dir, 'repo'), { 'app/main.ts': 'main\n', 'README.md': 'hi\n' });
    await writeFile(join(repo, 'README.md'), 'an edit of the user, not committed\n');
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const status = gitIn(repo, 'status', '--porcelain');
    const first = await service.submit({
      execution_prompt: '[fake:success] First: write the shared file',
      working_directory: join(repo, 'app'),
    });
    const second = await service.submit({
      execution_prompt: '[fake:success] Second: write it too',
      working_directory: join(repo, 'app'),
    });
    await startRunner();
    await ended(first.task.id, 'completed');
    await ended(second.task.id, 'completed');

    const tasks = [await service.get(first.task.id), await service.get(second.task.id)];
    expect(tasks.map((t) => t.branch)).toEqual([
      `claude-worker/${first.task.id}-first-write-the-shared-file`,
      `claude-worker/${second.task.id}-second-write-it-too`,
    ]);
    for (const task of tasks) {
      expect(task).toMatchObject({
        isolation: 'worktree',
        base_commit: head,
        changes: { files: 1, insertions: 1, deletions: 0 },
      });
      expect(task.worktree_path).toMatch(new RegExp(`^${dir}/worktrees/repo-[0-9a-f]{8}/${task.id}$`));
      expect(gitIn(repo, 'rev-parse', task.branch!)).toBe(task.head_commit);
      expect(gitIn(repo, 'log', '-1', '--format=%an <%ae>|%s', task.branch!)).toBe(
        `claude-worker <claude-worker@localhost>|claude-worker: task ${task.id} completed`,
      );
      expect(gitIn(repo, 'show', `${task.branch!}:app/shared.txt`)).toContain(task.execution_prompt.slice(0, 30));
    }
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitIn(repo, 'status', '--porcelain')).toBe(status);
  });

  it("commit a cancelled agent's partial edit on its branch", async () => {
    const repo = await makeRepository(join(dir, 'repo'));
    const runLog = join(dir, 'runs.jsonl');
    const { task } = await service.submit({ execution_prompt: '[fake:success] Edit then wait', working_directory: repo });
    // The gate never opens: the agent writes its file, then waits until it is stopped.
    await startRunner({ FAKE_CLAUDE_RESULT_GATE: join(dir, 'never'), FAKE_CLAUDE_RUN_LOG: runLog });
    await waitFor(async () => (await readFile(runLog, 'utf8').catch(() => '')).includes('"write"'), { what: 'the edit' });
    await service.cancel(task.id);
    await ended(task.id, 'cancelled');

    const cancelled = await service.get(task.id);
    expect(cancelled.changes).toEqual({ files: 1, insertions: 1, deletions: 0 });
    expect(gitIn(repo, 'log', '-1', '--format=%s', cancelled.branch!)).toBe(`claude-worker: task ${task.id} cancelled`);
    expect(gitIn(repo, 'show', `${cancelled.branch!}:shared.txt`)).toContain('Edit then wait');
    expect(gitIn(cancelled.worktree_path!, 'status', '--porcelain')).toBe('');
  });
});

describe('a repository with .claude-worker.json', () => {
  it('gets the ignored files it names copied in and its setup run, with the output in the task log', async () => {
    const repo = await makeRepository(join(dir, 'repo'), {
      '.gitignore': '.env*\nsetup-ran.txt\nbuild/\n',
      '.claude-worker.json': JSON.stringify({
        worktree: { copy: ['.env*', 'build'], setup: 'cat .env.local > setup-ran.txt && echo hello from setup' },
      }),
    });
    await writeFile(join(repo, '.env.local'), 'SECRET=1\n');
    await mkdir(join(repo, 'build'));
    await writeFile(join(repo, 'build', 'out.js'), 'built\n');
    const { task } = await service.submit({ execution_prompt: '[fake:success] Use the env', working_directory: repo });
    await startRunner();
    await ended(task.id, 'completed');

    const done = await service.get(task.id);
    expect(await readFile(join(done.worktree_path!, 'setup-ran.txt'), 'utf8')).toBe('SECRET=1\n');
    expect(await readFile(join(done.worktree_path!, 'build', 'out.js'), 'utf8')).toBe('built\n');
    const log = await service.logs(task.id);
    expect(log).toMatch(/copied 2 ignored path\(s\) into the worktree: \.env\.local, build/);
    expect(log).toMatch(/\[setup\] hello from setup/);
    // Ignored files stay out of the branch.
    expect(gitIn(repo, 'show', '--name-only', '--format=', done.branch!)).toBe('shared.txt');
  });

  it('ends the task setup_failed when the setup command fails, before the agent starts', async () => {
    const repo = await makeRepository(join(dir, 'repo'), {
      '.claude-worker.json': JSON.stringify({ worktree: { setup: 'echo missing tool >&2; exit 3' } }),
    });
    const { task } = await service.submit({ execution_prompt: '[fake:success] Never runs', working_directory: repo });
    await startRunner();
    await ended(task.id, 'failed');

    const failed = await service.get(task.id);
    expect(failed).toMatchObject({ error_code: 'setup_failed', changes: { files: 0, insertions: 0, deletions: 0 } });
    expect(failed.error_message).toBe(
      `Could not set up the task's worktree: worktree.setup "echo missing tool >&2; exit 3" exited with 3; its output is in the task log`,
    );
    expect(await service.logs(task.id)).toMatch(/\[setup\] missing tool/);
    await expect(readFile(join(failed.worktree_path!, 'shared.txt'))).rejects.toThrow(/ENOENT/);
  });
});

describe('a task outside any git repository', () => {
  it('runs in place, as before', async () => {
    const plain = join(dir, 'plain');
    await mkdir(plain);
    const { task } = await service.submit({ execution_prompt: '[fake:success] Write here', working_directory: plain });
    await startRunner();
    await ended(task.id, 'completed');
    expect(await service.get(task.id)).toMatchObject({ isolation: 'none', branch: null, head_commit: null, changes: null });
    expect(await readFile(join(plain, 'shared.txt'), 'utf8')).toContain('Write here');
  });
});
