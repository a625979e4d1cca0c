import { describe, expect, it } from 'vitest';
import { ServerUnreachableError, TaskNotFoundError, ValidationError } from '../../src/core/errors.js';
import {
  PLAIN,
  formatAge,
  formatDuration,
  renderTaskDetail,
  renderTaskTable,
  renderWorkerTable,
  shortenHome,
  styleFor,
  truncate,
} from '../../src/cli/format.js';
import { describeError } from '../../src/app/report-error.js';
import { progressLine, renderOutcome } from '../../src/cli/watch.js';
import { integerIn, labelList } from '../../src/cli/arguments.js';
import type { Worker } from '../../src/core/worker.js';
import { serverAddress } from '../../src/cli/server-address.js';
import { NOW, task } from '../support/task-factory.js';

describe('durations and ages', () => {
  it('formats durations at the precision people read', () => {
    expect(formatDuration(950)).toBe('0.9s');
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration((2 * 60 + 3) * 60_000)).toBe('2h03m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d02h');
  });

  it('formats ages coarsely', () => {
    expect(formatAge('2025-06-01T11:59:48.000Z', NOW)).toBe('12s');
    expect(formatAge('2025-06-01T11:55:00.000Z', NOW)).toBe('5m');
    expect(formatAge('2025-06-01T09:00:00.000Z', NOW)).toBe('3h');
    expect(formatAge('2025-05-29T12:00:00.000Z', NOW)).toBe('3d');
  });
});

describe('text helpers', () => {
  it('cuts long text to one line with an ellipsis', () => {
    expect(truncate('line one\nline two', 40)).toBe('line one line two');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });

  it('shortens paths under the home directory', () => {
    expect(shortenHome('/home/ada/project', '/home/ada')).toBe('~/project');
    expect(shortenHome('/home/adam/project', '/home/ada')).toBe('/home/adam/project');
  });

  it('colours only on a terminal without NO_COLOR', () => {
    expect(styleFor({ isTTY: false }, {}).status('failed')).toBe('failed');
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).status('failed')).toBe('failed');
    expect(styleFor({ isTTY: true }, {}).status('failed')).toBe('\x1b[31mfailed\x1b[0m');
  });

  it('colours the lines of a diff on a terminal only, by what each line is', () => {
    const lines = ['--- a/x', '+++ b/x', '@@ -1 +1 @@', '-old', '+new', ' same', ''];
    expect(lines.map(styleFor({ isTTY: false }, {}).diffLine)).toEqual(lines);
    expect(lines.map(styleFor({ isTTY: true }, {}).diffLine)).toEqual([
      '\x1b[1m--- a/x\x1b[0m',
      '\x1b[1m+++ b/x\x1b[0m',
      '\x1b[36m@@ -1 +1 @@\x1b[0m',
      '\x1b[31m-old\x1b[0m',
      '\x1b[32m+new\x1b[0m',
      ' same',
      '',
    ]);
  });
});

describe('task table', () => {
  it('lists id, status, age, last action or outcome, and directory in aligned columns', () => {
    const table = renderTaskTable(
      [
        task({ id: 12, status: 'running', last_action_cache: '[Write] src/auth.ts' }),
        task({ id: 9, status: 'failed', error_message: 'Claude Code could not authenticate' }),
        task({ id: 3, status: 'completed', final_summary: 'Added three tests.\nAll pass.' }),
      ],
      NOW,
    );
    expect(table.split('\n')).toEqual([
      'ID  STATUS     AGE  LAST ACTION / RESULT                DIR',
      '12  running    5m   [Write] src/auth.ts                 /srv/project',
      '9   failed     5m   Claude Code could not authenticate  /srv/project',
      '3   completed  5m   Added three tests. All pass.        /srv/project',
      '',
    ]);
  });

  it('says so when there are no tasks', () => {
    expect(renderTaskTable([], NOW)).toBe('No tasks.\n');
  });
});

describe('task detail', () => {
  it('shows times, duration, cost, turns, error and where the log is', () => {
    const detail = renderTaskDetail(
      task({
        status: 'failed',
        started_at: '2025-06-01T11:56:00.000Z',
        ended_at: '2025-06-01T11:57:05.000Z',
        cost_usd: 0.01234,
        num_turns: 4,
        max_turns: 4,
        attempts: 1,
        error_code: 'max_turns',
        error_message: 'Reached the limit of 4 turns',
      }),
      NOW,
      PLAIN,
      '/var/cw/logs/task-7.log',
    );
    expect(detail).toContain('Status:      failed');
    expect(detail).toContain('Duration:    1m05s');
    expect(detail).toContain('Cost:        $0.0123');
    expect(detail).toContain('Turns:       4 (max 4)');
    expect(detail).toContain('Error:       [max_turns] Reached the limit of 4 turns');
    expect(detail).toContain('Logs:        claude-worker logs 7  (/var/cw/logs/task-7.log)');
    expect(detail).toContain('Prompt:\n  Add tests');
    expect(detail).not.toContain('Summary:');
  });

  it('previews a long prompt and points to --json for the rest', () => {
    const prompt = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n');
    const detail = renderTaskDetail(task({ execution_prompt: prompt }), NOW);
    expect(detail).toContain('  line 20\n  … (5 more lines; see --json)');
    expect(detail).not.toContain('line 21');
  });
});

describe('labels', () => {
  it('show what a task requires, and whether an active worker has it', () => {
    const gpu = task({ required_labels: { region: 'eu', gpu: 'true' } });
    expect(renderTaskDetail(gpu, NOW)).toContain('Requires:    gpu=true,region=eu\n');
    expect(renderTaskDetail(gpu, NOW, PLAIN, undefined, true)).toContain(
      'Requires:    gpu=true,region=eu (no active worker has these labels: it waits)\n',
    );
    expect(renderTaskDetail(task(), NOW)).not.toContain('Requires');
    expect(renderTaskTable([gpu], NOW)).toContain('waiting for a worker with gpu=true,region=eu');
  });

  it('parse as name=value pairs on the command line, with usage errors for the rest', () => {
    expect(labelList('gpu=true,region=eu')).toEqual({ gpu: 'true', region: 'eu' });
    expect(() => labelList('gpu')).toThrow(/"gpu" is not of the form name=value/);
    expect(() => labelList('gpu=true,gpu=false')).toThrow(/given twice/);
  });
});

describe('worker table', () => {
  const worker = (overrides: Partial<Worker>): Worker => ({
    id: 'h1:100:abcd',
    name: 'node-a',
    host: 'h1',
    pid: 100,
    labels: {},
    capacity: 4,
    running: 0,
    state: 'active',
    started_at: '2025-06-01T11:00:00.000Z',
    last_heartbeat_at: '2025-06-01T11:59:58.000Z',
    heartbeat_age_seconds: 2,
    ...overrides,
  });

  it('shows name, host, pid, state, running of capacity, labels and heartbeat age, and how long stopped ones stay', () => {
    const table = renderWorkerTable({
      workers: [
        worker({ running: 3 }),
        worker({ name: 'gpu-1', host: 'h2', pid: 2200, labels: { gpu: 'true' }, capacity: 1, running: 1, state: 'draining' }),
        worker({ name: 'old', pid: 90, state: 'lost', heartbeat_age_seconds: 7200 }),
      ],
      retention_seconds: 86_400,
      queue_pause: null,
    });
    expect(table.split('\n')).toEqual([
      'NAME    HOST  PID   STATE     RUNNING  LABELS    HEARTBEAT',
      'node-a  h1    100   active    3/4      -         2s ago',
      'gpu-1   h2    2200  draining  1/1      gpu=true  2s ago',
      'old     h1    90    lost      0/4      -         2h ago',
      'Stopped and lost workers stay listed for 1d after their last heartbeat.',
      '',
    ]);
  });

  it('tells apart two workers of the same name on the same host by their pid', () => {
    const table = renderWorkerTable({
      workers: [worker({ pid: 100 }), worker({ id: 'h1:101:ef', pid: 101 })],
      retention_seconds: 60,
      queue_pause: null,
    });
    const [, first, second] = table.split('\n');
    expect(first).not.toBe(second);
    expect(second).toMatch(/^node-a\s+h1\s+101\s/);
  });

  it('says first that the queue is paused, why, and until when', () => {
    const table = renderWorkerTable(
      {
        workers: [worker({})],
        retention_seconds: 60,
        queue_pause: {
          kind: 'usage_limit',
          reason: 'usage limit reached (five_hour)',
          paused_at: '2025-06-01T11:50:00.000Z',
          paused_until: new Date(NOW + (2 * 60 + 13) * 60_000 + 5000).toISOString(),
          probe_task_id: null,
        },
      },
      PLAIN,
      new Date(NOW),
    );
    expect(table.split('\n')[0]).toMatch(
      /^queue paused: usage limit reached \(five_hour\); no task starts until \d\d:\d\d \(in 2 h 13 min\) \(claude-worker resume lifts the pause\)$/,
    );
  });

  it('says how to start one when there is none', () => {
    expect(renderWorkerTable({ workers: [], retention_seconds: 86_400, queue_pause: null })).toMatch(
      /^No workers\. Start one with: claude-worker worker/,
    );
  });
});

describe('watch output', () => {
  it('shows status, running time and last action while a task runs', () => {
    const running = task({ status: 'running', started_at: '2025-06-01T11:58:55.000Z', last_action_cache: '[Bash] npm test' });
    expect(progressLine(running, NOW, PLAIN, 200)).toBe('Task 7  running  1m05s  [Bash] npm test');
    expect(progressLine(running, NOW, PLAIN, 200, false)).toBe('Task 7  running  [Bash] npm test');
    expect(progressLine(running, NOW, PLAIN, 20)).toBe('Task 7  running  1m…');
  });

  it('ends with the summary of a completed task or the error of a failed one', () => {
    const ended = { started_at: '2025-06-01T11:59:00.000Z', ended_at: '2025-06-01T11:59:30.000Z' };
    expect(
      renderOutcome(task({ ...ended, status: 'completed', num_turns: 1, cost_usd: 0.5, final_summary: 'Done.\n' }), PLAIN),
    ).toBe('Task 7 completed (30s, 1 turn, $0.5000)\n\nDone.\n');
    expect(renderOutcome(task({ ...ended, status: 'failed', error_message: 'Timed out after 30s' }), PLAIN)).toBe(
      'Task 7 failed (30s): Timed out after 30s\nLogs: claude-worker logs 7\n',
    );
  });

  it('says why a skipped task was skipped, in its outcome and in the task table', () => {
    const reason = 'Skipped: its orchestration was cancelled.';
    const skipped = task({ status: 'skipped', ended_at: '2025-06-01T11:59:30.000Z', error_message: reason });
    expect(renderOutcome(skipped, PLAIN)).toBe(`Task 7 skipped: ${reason}\n`);
    expect(renderTaskTable([skipped], NOW).split('\n')[1]).toContain(reason);
  });
});

describe('errors on stderr', () => {
  it('lists every validation problem on its own line', () => {
    const error = new ValidationError([
      { field: 'working_directory', message: '/nope does not exist' },
      { field: 'execution_prompt', message: 'execution_prompt must not be empty' },
    ]);
    expect(describeError(error)).toBe(
      'error: invalid input (2 problems)\n  working_directory: /nope does not exist\n  execution_prompt: execution_prompt must not be empty',
    );
  });

  it('prints typed and system errors without a stack trace', () => {
    expect(describeError(new TaskNotFoundError(42))).toBe('error: Task 42 not found. List tasks with: claude-worker list');
    expect(describeError(new ServerUnreachableError('http://10.0.0.1:8000'))).toMatch(
      /^error: No claude-worker server answers at http:\/\/10\.0\.0\.1:8000/,
    );
    const system = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(describeError(system)).toBe('error: EACCES: permission denied');
  });

  it('keeps the stack of an unexpected error, which is a bug to report', () => {
    expect(describeError(new TypeError('x is undefined'))).toMatch(/^error: x is undefined\nTypeError: x is undefined\n\s+at /);
  });
});

describe('argument parsing', () => {
  it('accepts integers in range and rejects the rest', () => {
    const parse = integerIn(1, 500);
    expect(parse('20')).toBe(20);
    for (const bad of ['0', '501', '2.5', 'ten', '']) expect(() => parse(bad)).toThrow(/from 1 to 500/);
  });

  it('derives the host and port a server URL listens on', () => {
    expect(serverAddress('http://127.0.0.1:8123')).toEqual({ host: '127.0.0.1', port: 8123 });
    expect(serverAddress('http://[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(serverAddress('http://localhost')).toEqual({ host: 'localhost', port: 80 });
  });
});

describe('workspaces', () => {
  const branched = task({
    id: 12,
    status: 'completed',
    isolation: 'worktree',
    base_commit: '0123456789abcdef0123456789abcdef01234567',
    branch: 'claude-worker/12-add-tests',
    worktree_path: '/srv/worktrees/project-1a2b3c4d/12',
    head_commit: 'fedcba9876543210fedcba9876543210fedcba98',
    changes: { files: 3, insertions: 40, deletions: 2 },
  });

  it('show the branch, its +/- counts, the worktree and the base in status', () => {
    const detail = renderTaskDetail(branched, NOW);
    expect(detail).toContain('Branch:      claude-worker/12-add-tests (+40 -2 in 3 files)\n');
    expect(detail).toContain('Worktree:    /srv/worktrees/project-1a2b3c4d/12\n');
    expect(detail).toContain('Base:        0123456789ab\n');
    expect(renderTaskDetail(task(), NOW)).not.toMatch(/Branch|Worktree|Base/);
  });

  it('add a branch column to the list only when a task has a branch', () => {
    const table = renderTaskTable([branched, task({ id: 11 })], NOW);
    expect(table.split('\n')[0]).toMatch(/ BRANCH$/);
    expect(table.split('\n')[1]).toMatch(/ claude-worker\/12-add-tests \+40 -2$/);
    expect(renderTaskTable([task()], NOW)).not.toContain('BRANCH');
  });
});

describe('a task that waits for a time', () => {
  const inTwoHours = new Date(NOW + (2 * 60 + 13) * 60_000 + 5000).toISOString();

  it('says it waits for the usage limit to reset, when, and how far off that is', () => {
    const waiting = task({ error_code: 'usage_limit', error_message: 'Waiting…', not_before: inTwoHours, limit_hits: 1 });
    const detail = renderTaskDetail(waiting, NOW);
    expect(detail).toMatch(/^Waiting:\s+waiting for the usage limit to reset at \d\d:\d\d \(in 2 h 13 min\)$/m);
    expect(detail).toMatch(/^Attempts:\s+0 of 3 \(and 1 stopped by a usage limit\)$/m);
  });

  it('says it waits to retry after a transient failure, and nothing once the time has come', () => {
    expect(renderTaskDetail(task({ error_code: 'api_unavailable', not_before: inTwoHours }), NOW)).toMatch(
      /^Waiting:\s+waiting to retry at \d\d:\d\d \(in 2 h 13 min\)$/m,
    );
    expect(renderTaskDetail(task({ not_before: new Date(NOW).toISOString() }), NOW)).not.toMatch(/^Waiting:/m);
  });
});
