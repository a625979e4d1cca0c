/**
 * Faults the real Claude Code cannot be made to produce on demand, through
 * the fake executable (test/fixtures/fake-claude.mjs) on the real SDK path.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunRequest, AgentRunResult } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { isSameProcessAlive } from '../../src/host/identity.js';
import { agentRequest, recordRun, type RecordedRun } from '../support/agent-run.js';
import { waitFor } from '../support/wait.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;
const FAKE_CLAUDE_LEAVES_CHILD = new URL('../fixtures/fake-claude-leaves-child.sh', import.meta.url).pathname;
let dir: string;
let runCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-faults-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface FakeRun extends RecordedRun {
  /** Where the fake writes the pid of the grandchild it starts. */
  pidFile: string;
}

function startFake(
  mode: string,
  env: Record<string, string> = {},
  request: Partial<AgentRunRequest> = {},
  executablePath = FAKE_CLAUDE,
): FakeRun {
  const pidFile = join(dir, `grandchild-${++runCount}.pid`);
  const run = recordRun(
    new ClaudeCodeAgent({ executablePath }),
    agentRequest({
      prompt: `[fake:${mode}] do the thing`,
      cwd: dir,
      env: { PATH: process.env.PATH, FAKE_CLAUDE_PID_FILE: pidFile, ...env },
      ...request,
    }),
  );
  return { ...run, pidFile };
}

function failure(result: AgentRunResult): Extract<AgentRunResult, { outcome: 'failed' }> {
  if (result.outcome !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

async function grandchildPid(run: FakeRun): Promise<number> {
  return Number(await waitFor(() => readFile(run.pidFile, 'utf8').catch(() => ''), { what: 'the grandchild pid file' }));
}

describe('Claude Code faults (fake executable)', () => {
  it('reports spawn, every message and a readable line per step of a successful run', async () => {
    const run = startFake('success', { FAKE_CLAUDE_WRITE_FILE: 'report.txt' }, { model: 'claude-test-model' });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: 'completed', summary: 'Done: the file is written.' });
    expect(result.stats).toEqual({
      cost_usd: 0.0123,
      usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      num_turns: 2,
      duration_ms: 42,
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      api_key_source: 'none',
    });
    expect(run.spawns).toEqual([
      { pid: expect.any(Number), pgid: run.spawns[0]!.pid, procStartTime: expect.stringMatching(/^\d+$/) },
    ]);
    expect(run.messages.map((m) => (m as { type: string }).type)).toEqual([
      'system',
      'assistant',
      'assistant',
      'user',
      'assistant',
      'result',
    ]);
    expect(run.activity.map((a) => a.line)).toEqual([
      '[init] model=claude-test-model, permission=acceptEdits, credentials=none',
      '[assistant] I will write the file.',
      '[Write] report.txt',
      '[assistant] Done: the file is written.',
      '[result] success in 2 turns, $0.0123',
    ]);
    expect(run.activity.filter((a) => a.lastAction).map((a) => a.lastAction)).toEqual(['[Write] report.txt']);
  });

  it('a crash mid-stream fails with the exit code and the stderr tail, and leaves no process of its group behind', async () => {
    const run = startFake('crash', { FAKE_CLAUDE_GRANDCHILD: '1' });
    const result = failure(await run.done);
    expect(result.code).toBe('crashed');
    expect(result.message).toMatch(/exited with code 3/);
    expect(result.message).toMatch(/simulated crash \(segfault in the tool loop\)/);
    expect(isSameProcessAlive(await grandchildPid(run), null)).toBe(false);
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  it('ends the run at its result when a process the agent left behind holds its output open, and kills that process', async () => {
    const run = startFake('success', {}, {}, FAKE_CLAUDE_LEAVES_CHILD);
    const leftBehind = await grandchildPid(run);
    expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'Done: the file is written.' });
    expect(isSameProcessAlive(leftBehind, null)).toBe(false);
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  it('garbage lines between protocol messages do not stop a success', async () => {
    expect(await startFake('garbage').done).toMatchObject({ outcome: 'completed', summary: 'Done: the file is written.' });
  });

  it('an exit 0 without a result is a failure, not a success', async () => {
    const result = failure(await startFake('no_result').done);
    expect(result.code).toBe('no_result');
    expect(result.message).toMatch(/without reporting a result/);
  });

  it('an error result is a failure carrying its text, with the stats it reported', async () => {
    const result = failure(await startFake('error').done);
    expect(result.code).toBe('agent_error');
    expect(result.message).toMatch(/error_during_execution.*failed on purpose/);
    expect(result.stats.cost_usd).toBe(0.0123);
  });

  it('a success result flagged is_error is an authentication failure here, not a success', async () => {
    expect(failure(await startFake('api_error').done).code).toBe('auth_failed');
  });

  it('a success result flagged is_error for another reason fails with what Claude Code reported, not its subtype', async () => {
    const result = failure(await startFake('failed_success').done);
    expect(result.code).toBe('agent_error');
    expect(result.message).toBe('Claude Code reported an error: API Error: 529 Overloaded');
    expect(result.summary).toBe('API Error: 529 Overloaded');
  });

  it('falls back to the login exactly once: the second run has no API key, and its result stands', async () => {
    const run = startFake('api_error', { ANTHROPIC_API_KEY: 'sk-ant-rejected', CLAUDE_CODE_OAUTH_TOKEN: 'oauth-token' });
    const result = failure(await run.done);
    expect(result.code).toBe('auth_failed');
    expect(run.spawns).toHaveLength(2);
    // The fake reports ANTHROPIC_API_KEY as its credential source only when the key is in its env.
    expect(run.activity.filter((a) => a.apiKeySource).map((a) => a.apiKeySource)).toEqual(['ANTHROPIC_API_KEY', 'none']);
    expect(result.stats.api_key_source).toBe('none');
  });

  it('a missing executable fails with spawn_failed', async () => {
    const result = failure(await startFake('success', {}, {}, join(dir, 'no-such-claude')).done);
    expect(result.code).toBe('spawn_failed');
    expect(result.message).toMatch(/ENOENT/);
    expect(result.message).toContain('Run `claude-worker doctor`');
  });

  it('on abort while the agent hangs, kills the whole group, grandchild included, before resolving aborted', async () => {
    const controller = new AbortController();
    const run = startFake('hang', {}, { signal: controller.signal });
    const grandchild = await grandchildPid(run);
    await run.activityStarting('[assistant]');
    controller.abort('cancel');
    expect(await run.done).toMatchObject({ outcome: 'aborted', stats: { api_key_source: 'none' } });
    expect(isSameProcessAlive(grandchild, null)).toBe(false);
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  it('escalates to SIGKILL when the agent ignores SIGTERM', async () => {
    const controller = new AbortController();
    const run = startFake('hang', { FAKE_CLAUDE_IGNORE_SIGTERM: '1' }, { signal: controller.signal });
    const grandchild = await grandchildPid(run);
    await run.activityStarting('[assistant]');
    controller.abort('timeout');
    expect((await run.done).outcome).toBe('aborted');
    expect(isSameProcessAlive(grandchild, null)).toBe(false);
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  it('keeps the outcome of a result that arrived before the abort', async () => {
    const controller = new AbortController();
    const run = startFake('success', {}, { signal: controller.signal });
    await run.activityStarting('[result]');
    controller.abort('shutdown'); // while Claude Code is still winding down
    expect((await run.done).outcome).toBe('completed');
  });

  it('does not start anything when aborted before the run', async () => {
    const controller = new AbortController();
    controller.abort('shutdown');
    const run = startFake('success', {}, { signal: controller.signal });
    expect(await run.done).toEqual({ outcome: 'aborted', stats: {} });
    expect(run.spawns).toEqual([]);
  });
});
