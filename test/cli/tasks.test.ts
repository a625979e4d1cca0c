import { isProcessRunning } from '../../src/host/identity.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskPageSchema, taskSchema } from '../../src/core/schemas.js';
import type { Task } from '../../src/core/task.js';
import { waitFor } from '../support/wait.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

// One daemon (started by `server start`) serves every test of this file.
let cli: CliHome;
let project: string;

beforeAll(async () => {
  cli = await createCliHome((home) => ({ FAKE_CLAUDE_PID_FILE: join(home, 'hang-grandchild.pid') }));
  project = join(cli.home, 'project');
  await mkdir(project);
  const started = await cli.run(['server', 'start', '--workers', '2']);
  expect(started.code, started.stderr).toBe(0);
  expect(started.stdout).toMatch(new RegExp(`^claude-worker server running at ${cli.url} \\(pid \\d+, log .+\\)\\n$`));
});

afterAll(async () => {
  await cli.dispose();
});

async function taskJson(id: number): Promise<Task> {
  const result = await cli.run(['status', String(id), '--json']);
  expect(result.code, result.stderr).toBe(0);
  return taskSchema.parse(JSON.parse(result.stdout)) as Task;
}

async function runWatched(
  args: string[],
  options: { stdin?: string; cwd?: string } = {},
): Promise<{ code: number | null; task: Task; stderr: string }> {
  const result = await cli.run(['run', ...args, '--dir', project, '--watch', '--json'], options);
  return { code: result.code, task: taskSchema.parse(JSON.parse(result.stdout)) as Task, stderr: result.stderr };
}

describe('run', () => {
  it('prints the task id at once with a hint, and the task runs in the background', async () => {
    const result = await cli.run(['run', '[fake:success] Write the output file', '--dir', 'project'], { cwd: cli.home });
    expect(result.code, result.stderr).toBe(0);
    const [, id] = /^Task (\d+) submitted \((pending|running)\)\.\n/.exec(result.stdout) ?? [];
    expect(id).toBeDefined();
    expect(result.stdout).toContain(`claude-worker status ${id}`);
    // --dir was relative to the caller's directory, sent absolute.
    expect((await taskJson(Number(id))).working_directory).toBe(project);
  });

  it('sends the instruction and the piped stdin together', async () => {
    const diff = 'diff --git a/app.js b/app.js\n+console.log("hi")\n';
    const { code, task } = await runWatched(['[fake:success] Review these changes'], { stdin: diff });
    expect(code).toBe(0);
    const stored = await taskJson(task.id);
    expect(stored.execution_prompt).toBe(
      '[fake:success] Review these changes\n\nThe following input was piped to this task on stdin:\n<stdin>\n' +
        'diff --git a/app.js b/app.js\n+console.log("hi")\n</stdin>\n',
    );
  });

  it('takes piped stdin as the prompt when no PROMPT is given', async () => {
    const { code, task } = await runWatched([], { stdin: '[fake:success] Summarise the repository\n' });
    expect(code).toBe(0);
    expect(task.execution_prompt).toBe('[fake:success] Summarise the repository');
  });

  it('reads the prompt from a .md file', async () => {
    const file = join(cli.home, 'task.md');
    await writeFile(file, '# Task\n[fake:success] Create the output file.\n');
    const { code, task } = await runWatched(['task.md'], { cwd: cli.home });
    expect(code).toBe(0);
    expect(task.execution_prompt).toBe('# Task\n[fake:success] Create the output file.\n');
  });

  it('--watch prints progress and the summary, and exits 0 when the task completes', async () => {
    const result = await cli.run(['run', '[fake:success] Write the output file', '--dir', project, '--watch']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    // Not a terminal: one line per change, never the same line twice in a row.
    expect(lines[0]).toMatch(/^Task \d+ {2}(pending|running)/);
    expect(lines.some((line, i) => i > 0 && line === lines[i - 1] && line !== '')).toBe(false);
    expect(result.stdout).toMatch(/^Task \d+ completed \(\S+, 2 turns, \$0\.0123\)\n\nDone: the file is written\.\n$/m);
    expect(await readFile(join(project, 'fake-output.txt'), 'utf8')).toContain('Write the output file');
  });

  it('--watch exits 1 when the task fails, with the error', async () => {
    const result = await cli.run(['run', '[fake:error] Break on purpose', '--dir', project, '--watch']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Task \d+ failed \(.*\): .*The fake agent failed on purpose/m);
  });

  it('--watch exits 1 when the task is cancelled from another process', async () => {
    const watching = cli.start(['run', '[fake:hang] Think for ever', '--dir', project, '--watch']);
    const [, id] = await watching.line(/^Task (\d+) {2}running/);
    const cancelled = await cli.run(['cancel', id!]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^Task ${id} (is being stopped|cancelled)`));
    const result = await watching.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^Task ${id} cancelled`, 'm'));
    expect((await taskJson(Number(id))).status).toBe('cancelled');
    // The agent's own child went with it: no process is left behind.
    const grandchild = Number(await readFile(join(cli.home, 'hang-grandchild.pid'), 'utf8'));
    await waitFor(() => !isProcessRunning(grandchild), { what: `process ${grandchild} to be gone` });
  });

  it('Ctrl-C stops watching but not the task, and exits 130', async () => {
    const watching = cli.start(['run', '[fake:hang] Keep thinking', '--dir', project, '--watch']);
    const [, id] = await watching.line(/^Task (\d+) {2}running/);
    watching.child.kill('SIGINT');
    const result = await watching.result;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain(`Still running; follow it with: claude-worker status ${id}`);
    expect((await taskJson(Number(id))).status).toBe('running');
    expect((await cli.run(['cancel', id!])).code).toBe(0);
  });

  it('--json --watch prints the final task with its documented fields', async () => {
    const { code, task } = await runWatched([
      '[fake:success] Write the output file',
      '--model',
      'sonnet',
      '--max-turns',
      '5',
      '--timeout',
      '120',
    ]);
    expect(code).toBe(0);
    expect(task).toMatchObject({
      status: 'completed',
      working_directory: project,
      model: 'sonnet',
      max_turns: 5,
      timeout_seconds: 120,
      final_summary: 'Done: the file is written.',
      cost_usd: 0.0123,
      num_turns: 2,
      error_message: null,
    });
    expect(task.ended_at).toMatch(/Z$/);
  });

  it('--json without --watch prints the submitted task', async () => {
    const result = await cli.run(['run', '[fake:success] Write it', '--dir', project, '--json', '--idempotency-key', 'same-key']);
    expect(result.code, result.stderr).toBe(0);
    const task = taskSchema.parse(JSON.parse(result.stdout));
    expect(task).toMatchObject({ execution_prompt: '[fake:success] Write it', idempotency_key: 'same-key' });
    const again = await cli.run(['run', '[fake:success] Write it', '--dir', project, '--idempotency-key', 'same-key']);
    expect(again.stdout).toMatch(new RegExp(`^Task ${task.id} already exists for this idempotency key`));
  });

  it('run with an idempotency key already used for another prompt exits 2 and names what differs', async () => {
    const first = await cli.run([
      'run',
      '[fake:success] First use',
      '--dir',
      project,
      '--json',
      '--idempotency-key',
      'reused-key',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const task = taskSchema.parse(JSON.parse(first.stdout));
    const again = await cli.run(['run', '[fake:success] Another prompt', '--dir', project, '--idempotency-key', 'reused-key']);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toBe(
      `error: This idempotency key was already used for task ${task.id}, which differs in execution_prompt. Nothing was stored. ` +
        `Send the same request to get task ${task.id} back, or use a new key for a new task.\n`,
    );
  });
});

describe('list, status and logs', () => {
  let completed: Task;
  let failed: Task;

  beforeAll(async () => {
    completed = (await runWatched(['[fake:success] Write a file for the listing'])).task;
    failed = (await runWatched(['[fake:error] Fail for the listing'])).task;
  });

  it('list --status shows only tasks in that status, newest first', async () => {
    const result = await cli.run(['list', '--status', 'failed', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const page = taskPageSchema.parse(JSON.parse(result.stdout));
    expect(page.tasks.length).toBeGreaterThan(0);
    expect(page.tasks.every((task) => task.status === 'failed')).toBe(true);
    expect(page.tasks[0]!.id).toBe(failed.id);
    expect(page.tasks.map((task) => task.id)).not.toContain(completed.id);
    const ids = page.tasks.map((task) => task.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('list prints a table for people', async () => {
    const result = await cli.run(['list', '--limit', '2']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+AGE\s+LAST ACTION \/ RESULT\s+DIR$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^More tasks: claude-worker list --limit 2 --cursor \d+$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${failed.id}\\s+failed\\s+\\d+[smhd]\\s+.*Claude Code reported an error.*\\s+~/project$`),
    );
  });

  it('status ID shows the task in detail; without ID, the recent tasks', async () => {
    const detail = await cli.run(['status', String(completed.id)]);
    expect(detail.code, detail.stderr).toBe(0);
    expect(detail.stdout).toMatch(/^Status: +completed$/m);
    expect(detail.stdout).toMatch(/^Cost: +\$0\.0123$/m);
    expect(detail.stdout).toMatch(/^Turns: +2$/m);
    expect(detail.stdout).toMatch(
      new RegExp(`^Logs: +claude-worker logs ${completed.id} +\\(~/logs/task-${completed.id}\\.log\\)$`, 'm'),
    );
    expect(detail.stdout).toContain('Summary:\n  Done: the file is written.');

    const recent = await cli.run(['status']);
    expect(recent.code).toBe(0);
    expect(recent.stdout).toMatch(/^ID\s+STATUS/);
    expect(recent.stdout).toMatch(new RegExp(`^${completed.id}\\s+completed`, 'm'));
  });

  it('status of an unknown task fails with a clear message', async () => {
    const result = await cli.run(['status', '99999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Task 99999 not found. List tasks with: claude-worker list\n');
  });

  it('logs prints the summary log; -f follows it to the end of the task; --tail cuts it', async () => {
    const logs = await cli.run(['logs', String(completed.id)]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/Write/);
    const lines = logs.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);

    const followed = await cli.run(['logs', String(completed.id), '-f']);
    expect(followed).toMatchObject({ code: 0, stdout: logs.stdout });

    const tail = await cli.run(['logs', String(completed.id), '--tail', '1']);
    expect(tail.stdout).toBe(`${lines.at(-1)}\n`);
  });

  it('logs -f of a running task prints lines as they come and ends when the task ends', async () => {
    const submitted = await cli.run(['run', '[fake:slow] Write slowly', '--dir', project, '--json']);
    const { id } = taskSchema.parse(JSON.parse(submitted.stdout));
    const followed = await cli.run(['logs', String(id), '-f']);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/Write/);
    expect((await taskJson(id)).status).toBe('completed');
  });
});

describe('wait', () => {
  const submit = async (prompt: string) => {
    const result = await cli.run(['run', prompt, '--dir', project, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return taskSchema.parse(JSON.parse(result.stdout)).id;
  };

  it('prints each outcome and exits 0 when all completed, 1 when one failed', async () => {
    const first = await submit('[fake:slow] Write slowly');
    const second = await submit('[fake:success] Write fast');
    const completed = await cli.run(['wait', String(first), String(second)]);
    expect(completed.code, completed.stderr).toBe(0);
    expect(completed.stdout).toContain(`Task ${first} completed`);
    expect(completed.stdout).toContain(`Task ${second} completed`);

    const failing = await submit('[fake:error] Fail');
    const failed = await cli.run(['wait', String(failing), String(first), '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).map((task: Task) => [task.id, task.status])).toEqual([
      [failing, 'failed'],
      [first, 'completed'],
    ]);
  });

  it('gives up at --timeout with exit 124 and leaves the task running', async () => {
    const hanging = await submit('[fake:hang] Never finish');
    const result = await cli.run(['wait', String(hanging), '--timeout', '1']);
    expect(result.code).toBe(124);
    expect(result.stderr).toMatch(new RegExp(`still (pending|running): ${hanging}\\b`));
    expect(['pending', 'running']).toContain((await taskJson(hanging)).status);
    expect((await cli.run(['cancel', String(hanging)])).code).toBe(0);
  });

  it('fails clearly for an unknown task', async () => {
    const result = await cli.run(['wait', '999999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/999999/);
  });
});

describe('server status', () => {
  it('reports the daemon as healthy, for people and as JSON', async () => {
    const text = await cli.run(['server', 'status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^claude-worker \\S+ is healthy at ${cli.url}\\n.*2 tasks at a time\\n  daemon pid ${await cli.daemonPid()}`),
    );
    const json = await cli.run(['server', 'health', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      url: cli.url,
      healthy: true,
      health: { status: 'healthy', service: 'claude-worker', max_concurrency: 2 },
    });
  });
});
