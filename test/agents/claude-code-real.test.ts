import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentActivity, AgentRunRequest, AgentRunResult } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type FakeApiOptions } from '../support/fake-anthropic-api.js';

let dir: string;
let api: FakeAnthropicApi | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-real-claude-'));
});

afterEach(async () => {
  await api?.close();
  api = null;
  await rm(dir, { recursive: true, force: true });
});

async function runReal(
  prompt: string,
  apiOptions: FakeApiOptions,
  request: Partial<AgentRunRequest> = {},
  env: Record<string, string> = {},
): Promise<{ result: AgentRunResult; activity: AgentActivity[]; pgids: number[] }> {
  api = await startFakeAnthropicApi(apiOptions);
  const activity: AgentActivity[] = [];
  const pgids: number[] = [];
  const result = await new ClaudeCodeAgent().run(
    {
      taskId: 1,
      attempt: 1,
      prompt,
      systemPrompt: null,
      model: null,
      permissionMode: 'bypassPermissions',
      maxTurns: null,
      cwd: dir,
      env: realClaudeEnv(api.url, join(dir, 'home'), env),
      signal: new AbortController().signal,
      ...request,
    },
    { onSpawn: (p) => pgids.push(p.pgid), onMessage: () => {}, onActivity: (a) => activity.push(a) },
  );
  return { result, activity, pgids };
}

describe('the real Claude Code binary', () => {
  it('completes a task that writes a file, with cost, turns and credential source recorded', async () => {
    const { result, activity, pgids } = await runReal('Create the greeting file [write:hello.txt]', {});
    expect(result.outcome).toBe('completed');
    expect(await readFile(join(dir, 'hello.txt'), 'utf8')).toBe('written by the agent\n');
    if (result.outcome !== 'completed') return;
    expect(result.summary).toBe('Done. The task is complete.');
    expect(result.stats.num_turns).toBe(2);
    expect(result.stats.cost_usd).toBeGreaterThan(0);
    expect(result.stats.usage?.output_tokens).toBeGreaterThan(0);
    expect(result.stats.session_id).toMatch(/[0-9a-f-]{36}/);
    expect(result.stats.api_key_source).toBe('ANTHROPIC_API_KEY');
    expect(activity.map((a) => a.lastAction).filter(Boolean)).toEqual(['[Write] hello.txt']);
    expect(isGroupAlive(pgids[0]!)).toBe(false);
  });

  it('fails with auth_failed and the API message when the key is rejected', async () => {
    const { result } = await runReal('Say hi', { rejectAll: true });
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'failed') return;
    expect(result.code).toBe('auth_failed');
    expect(result.message).toMatch(/Invalid API key/);
    expect(result.message).toMatch(/claude auth login/);
  });

  it('falls back to the Claude login when the API key is rejected', async () => {
    const { result, activity } = await runReal('Write it [write:via-login.txt]', { rejectApiKey: true }, {}, {
      CLAUDE_CODE_OAUTH_TOKEN: 'oauth-test-token',
    });
    expect(result.outcome).toBe('completed');
    if (result.outcome !== 'completed') return;
    expect(result.stats.api_key_source).not.toBe('ANTHROPIC_API_KEY');
    expect(activity.some((a) => a.line.includes('running again with your Claude login'))).toBe(true);
    expect(api!.requests.some((r) => r.authorization === 'Bearer oauth-test-token')).toBe(true);
    expect(await readFile(join(dir, 'via-login.txt'), 'utf8')).toBe('written by the agent\n');
  });

  it('does not fall back when there is no login to fall back to', async () => {
    const { result, activity } = await runReal('Say hi', { rejectApiKey: true });
    expect(result.outcome === 'failed' && result.code).toBe('auth_failed');
    expect(activity.some((a) => a.line.includes('running again'))).toBe(false);
  });

  it('fails with max_turns when the turn limit is reached', async () => {
    const { result } = await runReal('Keep writing files', { alwaysToolUse: true }, { maxTurns: 1 });
    expect(result.outcome === 'failed' && result.code).toBe('max_turns');
  });

  it('explains instead of failing obscurely when run as root with bypassPermissions and no IS_SANDBOX', async () => {
    expect(process.getuid?.()).toBe(0); // this suite runs as root, like the CI machine
    const { result, pgids } = await runReal('Say hi', {}, {}, { IS_SANDBOX: '' });
    expect(result.outcome === 'failed' && result.code).toBe('root_bypass_refused');
    expect(result.outcome === 'failed' && result.message).toMatch(/--permission-mode acceptEdits/);
    expect(pgids).toEqual([]); // refused before starting anything
  });

  it('stops the whole process group on abort while the API never answers', async () => {
    api = await startFakeAnthropicApi({ hang: true });
    const controller = new AbortController();
    const pgids: number[] = [];
    const running = new ClaudeCodeAgent().run(
      {
        taskId: 1,
        attempt: 1,
        prompt: 'Say hi',
        systemPrompt: null,
        model: null,
        permissionMode: 'acceptEdits',
        maxTurns: null,
        cwd: dir,
        env: realClaudeEnv(api.url, join(dir, 'home')),
        signal: controller.signal,
      },
      { onSpawn: (p) => pgids.push(p.pgid), onMessage: () => {}, onActivity: (a) => a.line.startsWith('[init]') && controller.abort('cancel') },
    );
    const result = await running;
    expect(result.outcome).toBe('aborted');
    expect(isGroupAlive(pgids[0]!)).toBe(false);
  });
});
