/**
 * The real Claude Code binary against the API stand-in when the API refuses:
 * a usage limit is told apart from a failure of the task, and failures of
 * the API that pass (500, 529, no connection) from those that do not (401).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentRunResult } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { agentRequest, recordRun, type RecordedRun } from '../support/agent-run.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type FakeApiOptions } from '../support/fake-anthropic-api.js';
import { freePort } from '../support/server-process.js';

let dir: string;
let api: FakeAnthropicApi | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-limits-'));
});

afterEach(async () => {
  await api?.close();
  api = null;
  await rm(dir, { recursive: true, force: true });
});

/** How a Claude subscription signs in: the stand-in's usage limit then comes with a rate_limit_event. */
const OAUTH_LOGIN = { ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-test-token' };

async function run(apiOptions: FakeApiOptions, env: Record<string, string | undefined> = {}): Promise<RecordedRun> {
  api = await startFakeAnthropicApi(apiOptions);
  const recorded = recordRun(
    new ClaudeCodeAgent(),
    agentRequest({ prompt: 'Say hello', cwd: dir, env: realClaudeEnv(api.url, join(dir, 'home'), env) }),
  );
  await recorded.done;
  return recorded;
}

function failed(result: AgentRunResult): Extract<AgentRunResult, { outcome: 'failed' }> {
  if (result.outcome !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

it("reports a subscription's usage limit with its reset time and window, and says the model never answered", async () => {
  const until = Date.now() + 3600_000;
  const recorded = await run({ usageLimitUntil: until }, OAUTH_LOGIN);

  const result = await recorded.done;
  expect(result).toMatchObject({ outcome: 'limited', resetsAt: Math.ceil(until / 1000) * 1000, limitType: 'five_hour' });
  expect(result.outcome === 'limited' && result.message).toContain('usage limit reached (five_hour)');
  expect(recorded.activity.map((a) => a.line)).toContainEqual(
    expect.stringMatching(/^\[limit\] usage limit reached \(five_hour\); resets at /),
  );
  expect(recorded.modelAnswers).toBe(0);
});

it('reports a 429 without a reset time (an API key account) as a limit too', async () => {
  const recorded = await run({ usageLimitUntil: Date.now() + 3600_000 });
  expect(await recorded.done).toMatchObject({ outcome: 'limited', resetsAt: null, limitType: null });
});

it.each([529, 500] as const)('reports an API %i as a transient failure', async (status) => {
  const recorded = await run({ failFirst: { count: 1, status } });
  const result = failed(await recorded.done);
  expect(result).toMatchObject({ code: 'api_unavailable', transient: true });
  expect(result.message).toContain(String(status));
});

it('reports an API it cannot connect to as a transient failure', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const recorded = recordRun(
    new ClaudeCodeAgent(),
    agentRequest({ prompt: 'Say hello', cwd: dir, env: realClaudeEnv(closed, join(dir, 'home')) }),
  );
  expect(failed(await recorded.done)).toMatchObject({ code: 'api_unavailable', transient: true });
});

it('reports a rejected key (401) as an authentication failure, not worth a retry', async () => {
  const recorded = await run({ failFirst: { count: 1, status: 401 } });
  const result = failed(await recorded.done);
  expect(result.code).toBe('auth_failed');
  expect(result.transient).toBeUndefined();
});

it('says once that the model answered when it does', async () => {
  const recorded = await run({});
  expect(await recorded.done).toMatchObject({ outcome: 'completed' });
  expect(recorded.modelAnswers).toBe(1);
});
