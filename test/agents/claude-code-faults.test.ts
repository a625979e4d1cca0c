import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { refusesRootBypass } from '../../src/agents/claude-code/credentials.js';

const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-faults-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(mode: string, executablePath = FAKE_CLAUDE): Promise<AgentRunResult> {
  return new ClaudeCodeAgent({ executablePath }).run(
    {
      taskId: 1,
      attempt: 1,
      prompt: `[fake:${mode}] do the thing`,
      systemPrompt: null,
      model: null,
      permissionMode: 'acceptEdits',
      maxTurns: null,
      cwd: dir,
      env: { PATH: process.env.PATH },
      signal: new AbortController().signal,
    },
    { onSpawn: () => {}, onMessage: () => {}, onActivity: () => {} },
  );
}

describe('Claude Code faults (fake executable)', () => {
  it('a crash mid-stream fails with the exit code and the stderr tail', async () => {
    const result = await run('crash');
    expect(result).toMatchObject({ outcome: 'failed', code: 'crashed' });
    expect(result.outcome === 'failed' && result.message).toMatch(/exited with code 3.*simulated crash/s);
  });

  it('garbage lines between protocol messages do not stop a success', async () => {
    expect(await run('garbage')).toMatchObject({ outcome: 'completed', summary: 'Done: the file is written.' });
  });

  it('an exit without a result is a failure, not a success', async () => {
    expect(await run('no_result')).toMatchObject({ outcome: 'failed', code: 'no_result' });
  });

  it('an error result is a failure with its text', async () => {
    const result = await run('error');
    expect(result).toMatchObject({ outcome: 'failed', code: 'agent_error' });
    expect(result.outcome === 'failed' && result.message).toMatch(/failed on purpose/);
  });

  it('a success result flagged is_error is a failure (authentication)', async () => {
    expect(await run('api_error')).toMatchObject({ outcome: 'failed', code: 'auth_failed' });
  });

  it('a missing executable fails with spawn_failed', async () => {
    const result = await run('success', join(dir, 'no-such-claude'));
    expect(result).toMatchObject({ outcome: 'failed', code: 'spawn_failed' });
  });

  it('refuses bypassPermissions only for root without IS_SANDBOX=1', () => {
    expect(refusesRootBypass(0, 'bypassPermissions', {})).toBe(true);
    expect(refusesRootBypass(0, 'bypassPermissions', { IS_SANDBOX: '1' })).toBe(false);
    expect(refusesRootBypass(0, 'acceptEdits', {})).toBe(false);
    expect(refusesRootBypass(1000, 'bypassPermissions', {})).toBe(false);
  });
});
