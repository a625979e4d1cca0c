/**
 * The REAL Claude Code binary (bundled with the Agent SDK) against the
 * loopback Messages API stand-in: the real agent loop, tools, permission
 * checks and exit codes, offline.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunRequest, AgentRunResult } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { classifyRun, ROOT_BYPASS_ADVICE, RunObservation } from '../../src/agents/claude-code/outcome.js';
import { CONTINUE_PROMPT } from '../../src/agents/claude-code/resume.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { bundledClaudePath, realClaudeEnv } from '../support/agent-env.js';
import { agentRequest, recordRun, type RecordedRun } from '../support/agent-run.js';
import { waitFor } from '../support/wait.js';
import {
  DEFAULT_REPLY_TEXT,
  startFakeAnthropicApi,
  WRITTEN_CONTENT,
  type FakeAnthropicApi,
  type FakeApiOptions,
} from '../support/fake-anthropic-api.js';

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

async function startReal(
  prompt: string,
  apiOptions: FakeApiOptions,
  request: Partial<AgentRunRequest> = {},
  env: Record<string, string | undefined> = {},
): Promise<RecordedRun> {
  api = await startFakeAnthropicApi(apiOptions);
  return recordRun(
    new ClaudeCodeAgent(),
    agentRequest({ prompt, cwd: dir, env: realClaudeEnv(api.url, join(dir, 'home'), env), ...request }),
  );
}

function failure(result: AgentRunResult): Extract<AgentRunResult, { outcome: 'failed' }> {
  if (result.outcome !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('the real Claude Code binary against the API stand-in', () => {
  it('completes a task that writes a file, recording cost, usage, turns, session and credential source', async () => {
    const run = await startReal('Create the greeting file [write:hello.txt]', {}, { permissionMode: 'bypassPermissions' });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: 'completed', summary: DEFAULT_REPLY_TEXT });
    expect(await readFile(join(dir, 'hello.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
    if (result.outcome !== 'completed') return;
    expect(result.stats).toMatchObject({ num_turns: 2, api_key_source: 'ANTHROPIC_API_KEY' });
    expect(result.stats.cost_usd).toBeGreaterThan(0);
    expect(result.stats.duration_ms).toBeGreaterThan(0);
    expect(result.stats.session_id).toMatch(/^[0-9a-f-]{36}$/);
    // Two requests: 50 input tokens each, per the stand-in's script.
    expect(result.stats.usage).toMatchObject({ input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(result.stats.usage!.output_tokens).toBeGreaterThan(0);

    expect(run.activity.map((a) => a.lastAction).filter(Boolean)).toEqual(['[Write] hello.txt']);
    expect(run.activity.map((a) => a.line)).toContain('[Write] hello.txt');
    expect(run.activity[0]).toMatchObject({ apiKeySource: 'ANTHROPIC_API_KEY', sessionId: result.stats.session_id });
    expect(run.activity[0]!.line).toMatch(/^\[init\] model=.+, permission=bypassPermissions, credentials=ANTHROPIC_API_KEY$/);
    expect(run.activity.at(-1)!.line).toMatch(/^\[result\] success in 2 turns, \$\d+\.\d{4}$/);
    expect(run.messages.some((m) => (m as { type: string }).type === 'result')).toBe(true);

    expect(run.spawns).toHaveLength(1);
    expect(run.spawns[0]!.pgid).toBe(run.spawns[0]!.pid);
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  it('sends the API key, and Claude Code its own system prompt with the task system prompt appended', async () => {
    const run = await startReal('Say hi', {}, { systemPrompt: 'Always answer in French.' });
    expect((await run.done).outcome).toBe('completed');
    const request = api!.requests.find((r) => r.path.startsWith('/v1/messages'))!;
    expect(request.apiKey).toBe('sk-ant-test-key');
    const system = JSON.stringify(request.body?.system);
    expect(system).toContain('Always answer in French.');
    expect(system.length).toBeGreaterThan(2000); // Claude Code's own prompt is there too, not replaced
  });

  it('fails with auth_failed, the API message and what to do, when the key is rejected', async () => {
    const run = await startReal('Say hi', { rejectAll: true });
    const result = failure(await run.done);
    expect(result.code).toBe('auth_failed');
    expect(result.message).toMatch(/Invalid API key/);
    expect(result.message).toMatch(/ANTHROPIC_API_KEY.*claude auth login.*claude setup-token/s);
    expect(result.stats.api_key_source).toBe('ANTHROPIC_API_KEY');
  });

  it('runs again on the Claude login (OAuth token) when the API key is rejected, and records the login as the source', async () => {
    const run = await startReal(
      'Write it [write:via-login.txt]',
      { rejectApiKey: true },
      {},
      {
        CLAUDE_CODE_OAUTH_TOKEN: 'oauth-test-token',
      },
    );
    const result = await run.done;
    expect(result.outcome).toBe('completed');
    expect(result.stats.api_key_source).toBeTruthy();
    expect(result.stats.api_key_source).not.toBe('ANTHROPIC_API_KEY');
    expect(run.spawns).toHaveLength(2);
    expect(run.activity.filter((a) => a.line.startsWith('[auth]'))).toHaveLength(1);
    expect(api!.requests.some((r) => r.apiKey === 'sk-ant-test-key')).toBe(true);
    expect(api!.requests.some((r) => r.authorization === 'Bearer oauth-test-token' && r.apiKey === undefined)).toBe(true);
    expect(await readFile(join(dir, 'via-login.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
  });

  it('does not run again when there is no login to fall back to', async () => {
    const run = await startReal('Say hi', { rejectApiKey: true });
    expect(failure(await run.done).code).toBe('auth_failed');
    expect(run.spawns).toHaveLength(1);
  });

  it('fails with max_turns, naming the limit, when the turn limit is reached', async () => {
    const run = await startReal('Keep writing files', { alwaysToolUse: true }, { maxTurns: 1 });
    const result = failure(await run.done);
    expect(result.code).toBe('max_turns');
    expect(result.message).toBe('Stopped after reaching max_turns (1) before finishing; raise --max-turns or split the task.');
    expect(result.stats.num_turns).toBeGreaterThan(0);
    expect(run.activity.at(-1)!.line).toMatch(/^\[result\] error_max_turns/);
  });

  it('refuses bypassPermissions as root without IS_SANDBOX before starting, with the ways out', async () => {
    expect(process.getuid?.()).toBe(0); // this suite runs as root, like the CI machine
    const run = await startReal('Say hi', {}, { permissionMode: 'bypassPermissions' }, { IS_SANDBOX: undefined });
    const result = failure(await run.done);
    expect(result.code).toBe('root_bypass_refused');
    expect(result.message).toMatch(/as root/);
    expect(result.message).toMatch(/normal user/);
    expect(result.message).toMatch(/--permission-mode acceptEdits/);
    expect(result.message).toMatch(/IS_SANDBOX=1/);
    expect(run.spawns).toEqual([]);
  });

  it("recognises the real binary's own root + bypass refusal, should it ever get that far", async () => {
    // The flags the SDK passes for bypassPermissions, without IS_SANDBOX.
    const child = spawn(
      bundledClaudePath(),
      [
        '--output-format',
        'stream-json',
        '--verbose',
        '--input-format',
        'stream-json',
        '--permission-mode=bypassPermissions',
        '--allow-dangerously-skip-permissions',
      ],
      {
        cwd: dir,
        env: realClaudeEnv('http://127.0.0.1:9', join(dir, 'home'), { IS_SANDBOX: undefined }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [exitCode] = (await once(child, 'close')) as [number | null];
    const observation = new RunObservation();
    const result = classifyRun(
      observation,
      { thrown: null, startFailure: null, exitCode, signal: null, stderrTail: stderr },
      null,
    );
    expect(failure(result)).toMatchObject({ code: 'root_bypass_refused', message: ROOT_BYPASS_ADVICE });
  });

  it('on abort while the API never answers, resolves aborted once no process of the group is left', async () => {
    const controller = new AbortController();
    const run = await startReal('Say hi', { hang: true }, { signal: controller.signal });
    await run.activityStarting('[init]');
    await api!.waitForRequest();
    controller.abort('cancel');
    const result = await run.done;
    expect(result.outcome).toBe('aborted');
    expect(result.stats.api_key_source).toBe('ANTHROPIC_API_KEY');
    expect(isGroupAlive(run.spawns[0]!.pgid)).toBe(false);
  });

  describe('resuming the session of an interrupted attempt', () => {
    const savedConfigDir = process.env.CLAUDE_CONFIG_DIR;
    // The runner passes its own environment to agents, so Claude Code's config dir is this process's too.
    beforeEach(() => {
      process.env.CLAUDE_CONFIG_DIR = join(dir, 'home', '.claude');
    });
    afterEach(() => {
      if (savedConfigDir === undefined) delete process.env.CLAUDE_CONFIG_DIR;
      else process.env.CLAUDE_CONFIG_DIR = savedConfigDir;
    });

    /** Runs the prompt until `reached`, then stops it as a runner shutting down would; returns its session. */
    async function interruptedSession(
      prompt: string,
      apiOptions: FakeApiOptions,
      reached: () => Promise<unknown>,
    ): Promise<string> {
      const controller = new AbortController();
      const run = await startReal(prompt, apiOptions, { signal: controller.signal, permissionMode: 'bypassPermissions' });
      const init = await run.activityStarting('[init]');
      await reached();
      controller.abort('shutdown');
      expect((await run.done).outcome).toBe('aborted');
      await api!.close();
      return init.sessionId!;
    }

    it('continues it: the model gets the original conversation and a note to check the work so far', async () => {
      const sessionId = await interruptedSession('Write the report [reply:report ready]', { hang: true }, () =>
        api!.waitForRequest(),
      );
      // The reply marker is only in the first attempt's prompt: the answer shows the conversation went on.
      const run = await startReal('Write the report (second attempt)', {}, { resumeSessionId: sessionId });
      expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'report ready', stats: { session_id: sessionId } });
      expect(run.activity[0]!.line).toBe(`[resume] continuing session ${sessionId} of the interrupted attempt`);
      const sent = JSON.stringify(api!.requests.at(-1)!.body!.messages);
      expect(sent).toContain('Write the report [reply:report ready]');
      expect(sent).toContain(CONTINUE_PROMPT);
      expect(sent).not.toContain('second attempt');
    });

    it("continues one cut off in the middle of a tool call: the conversation sent on holds that call's result", async () => {
      const sessionId = await interruptedSession('Run the suite [bash:touch started && sleep 30] [reply:suite checked]', {}, () =>
        waitFor(() => existsSync(join(dir, 'started')), { what: 'the Bash tool to start its command' }),
      );
      const run = await startReal('unused', {}, { resumeSessionId: sessionId, permissionMode: 'bypassPermissions' });
      expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'suite checked' });
      // The API refuses a tool use without its result: Claude Code records the call as interrupted, or with
      // the exit of its killed command, whichever the stop left behind.
      const blocks = api!.requests.at(-1)!.body!.messages!.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
      const uses = blocks.filter((block) => block.type === 'tool_use').map((block) => block.id);
      expect(uses).toHaveLength(1);
      expect(blocks.filter((block) => block.type === 'tool_result').map((block) => block.tool_use_id)).toEqual(uses);
    });

    it('starts over, and says so, when the session file cannot be read', async () => {
      const sessionId = await interruptedSession('Write the report [reply:first try]', { hang: true }, () =>
        api!.waitForRequest(),
      );
      const projects = join(process.env.CLAUDE_CONFIG_DIR!, 'projects');
      for (const project of readdirSync(projects)) {
        const file = join(projects, project, `${sessionId}.jsonl`);
        if (existsSync(file)) writeFileSync(file, 'not a session\n');
      }
      const run = await startReal('Write the report again [reply:started over]', {}, { resumeSessionId: sessionId });
      expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'started over' });
      expect(run.activity[0]!.line).toContain('cannot be read; starting over');
    });

    it('starts over with the task prompt, and says so, when the session is not on this machine', async () => {
      const elsewhere = '0b7c3d1e-5f00-4a2b-9c8d-7e6f5a4b3c2d';
      const run = await startReal('Write the report [reply:started over]', {}, { resumeSessionId: elsewhere });
      expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'started over' });
      expect(run.activity[0]!.line).toBe(
        `[resume] session ${elsewhere} of the interrupted attempt is not on this machine or cannot be read; starting over`,
      );
      expect(JSON.stringify(api!.requests.at(-1)!.body!.messages)).not.toContain(CONTINUE_PROMPT);
    });

    it("starts a follow-up over with its start-over prompt, and says so, when the continued task's session is not here", async () => {
      const elsewhere = '1c8d4e2f-6a11-4b3c-8d9e-8f7a6b5c4d3e';
      const followUp = { taskId: 12, sessionId: elsewhere, startOverPrompt: 'Task 12 was asked to write [reply:summary seen]' };
      const run = await startReal('Now add tests', {}, { followUp });
      expect(await run.done).toMatchObject({ outcome: 'completed', summary: 'summary seen' });
      expect(run.activity[0]!.line).toBe(
        `[resume] session ${elsewhere} of task 12 is not on this machine or cannot be read; starting over with the prompt and summary of task 12`,
      );
      expect(JSON.stringify(api!.requests.at(-1)!.body!.messages)).toContain('Task 12 was asked to write');
    });
  });
});
