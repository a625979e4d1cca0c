/**
 * The pure decisions of the Claude Code agent: which options Claude Code
 * gets, whether it may run at all, when to fall back to the login, and how a
 * run is classified from what it reported.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../src/agents/agent.js';
import { hasClaudeLogin, loginFallbackEnv, refusesRootBypass } from '../../src/agents/claude-code/credentials.js';
import type { ClaudeMessage } from '../../src/agents/claude-code/messages.js';
import { buildQueryOptions } from '../../src/agents/claude-code/options.js';
import { classifyRun, ROOT_BYPASS_ADVICE, RunObservation, type ProcessEnd } from '../../src/agents/claude-code/outcome.js';
import { emptyRunStats } from '../../src/core/task.js';
import { agentRequest } from '../support/agent-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-decisions-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('query options', () => {
  const wiring = {
    env: { PATH: '/bin', HOME: '/home/u' },
    executablePath: null,
    abortController: new AbortController(),
    spawn: () => {
      throw new Error('not spawned here');
    },
  };

  it("always asks for Claude Code's own system prompt, appending the task's only when it has one", () => {
    const plain = buildQueryOptions(agentRequest({ prompt: 'p', cwd: '/w', env: {} }), wiring);
    expect(plain.systemPrompt).toEqual({ type: 'preset', preset: 'claude_code' });
    const appended = buildQueryOptions(agentRequest({ prompt: 'p', cwd: '/w', env: {}, systemPrompt: 'Be brief.' }), wiring);
    expect(appended.systemPrompt).toEqual({ type: 'preset', preset: 'claude_code', append: 'Be brief.' });
  });

  it('passes cwd, model, permission mode, turn limit, executable and the whole env', () => {
    const options = buildQueryOptions(
      agentRequest({ prompt: 'p', cwd: '/w', env: {}, model: 'opus', permissionMode: 'plan', maxTurns: 7 }),
      { ...wiring, executablePath: '/opt/claude' },
    );
    expect(options).toMatchObject({
      cwd: '/w',
      model: 'opus',
      permissionMode: 'plan',
      maxTurns: 7,
      pathToClaudeCodeExecutable: '/opt/claude',
    });
    expect(options.env).toEqual({ PATH: '/bin', HOME: '/home/u' });
    expect(options.allowDangerouslySkipPermissions).toBeUndefined();
    expect(options.abortController).toBe(wiring.abortController);
    expect(options.spawnClaudeCodeProcess).toBe(wiring.spawn);
  });

  it('leaves model, turn limit and executable to Claude Code when unset, and allows bypass only for bypassPermissions', () => {
    const options = buildQueryOptions(
      agentRequest({ prompt: 'p', cwd: '/w', env: {}, permissionMode: 'bypassPermissions' }),
      wiring,
    );
    expect(options).not.toHaveProperty('model');
    expect(options).not.toHaveProperty('maxTurns');
    expect(options).not.toHaveProperty('pathToClaudeCodeExecutable');
    expect(options.allowDangerouslySkipPermissions).toBe(true);
  });
});

describe('root and bypassPermissions', () => {
  it('refuses only root with bypassPermissions and without IS_SANDBOX=1', () => {
    expect(refusesRootBypass(0, 'bypassPermissions', {})).toBe(true);
    expect(refusesRootBypass(0, 'bypassPermissions', { IS_SANDBOX: 'yes' })).toBe(true); // Claude Code accepts only "1"
    expect(refusesRootBypass(0, 'bypassPermissions', { IS_SANDBOX: '1' })).toBe(false);
    expect(refusesRootBypass(0, 'acceptEdits', {})).toBe(false);
    expect(refusesRootBypass(1000, 'bypassPermissions', {})).toBe(false);
    expect(refusesRootBypass(undefined, 'bypassPermissions', {})).toBe(false); // no uids (Windows)
  });
});

describe('API key first, then the Claude login', () => {
  const keyRejected: AgentRunResult = {
    outcome: 'failed',
    code: 'auth_failed',
    message: 'Invalid API key',
    summary: null,
    stats: { ...emptyRunStats(), api_key_source: 'ANTHROPIC_API_KEY' },
  };

  it('finds a login in CLAUDE_CODE_OAUTH_TOKEN or a stored credentials file', async () => {
    const home = join(dir, 'home');
    const configDir = join(dir, 'config');
    expect(hasClaudeLogin({ HOME: home, CLAUDE_CONFIG_DIR: configDir })).toBe(false);
    expect(hasClaudeLogin({ CLAUDE_CODE_OAUTH_TOKEN: 'token' })).toBe(true);
    await mkdir(join(home, '.claude'), { recursive: true });
    await writeFile(join(home, '.claude', '.credentials.json'), '{}');
    expect(hasClaudeLogin({ HOME: home })).toBe(true);
    expect(hasClaudeLogin({ HOME: home, CLAUDE_CONFIG_DIR: configDir })).toBe(false); // the config dir wins over HOME
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, '.credentials.json'), '{}');
    expect(hasClaudeLogin({ CLAUDE_CONFIG_DIR: configDir })).toBe(true);
  });

  it('runs again without the API key, and with everything else, when the key was rejected and a login exists', () => {
    const env = { PATH: '/bin', ANTHROPIC_API_KEY: 'sk-bad', CLAUDE_CODE_OAUTH_TOKEN: 'token' };
    expect(loginFallbackEnv(keyRejected, env)).toEqual({ PATH: '/bin', CLAUDE_CODE_OAUTH_TOKEN: 'token' });
  });

  it('does not run again for other failures, other credential sources, or without a login', () => {
    const env = { ANTHROPIC_API_KEY: 'sk-bad', CLAUDE_CODE_OAUTH_TOKEN: 'token' };
    expect(loginFallbackEnv({ ...keyRejected, code: 'agent_error' }, env)).toBeNull();
    expect(loginFallbackEnv({ ...keyRejected, stats: { api_key_source: 'none' } }, env)).toBeNull();
    expect(loginFallbackEnv(keyRejected, { CLAUDE_CODE_OAUTH_TOKEN: 'token' })).toBeNull();
    expect(loginFallbackEnv(keyRejected, { ANTHROPIC_API_KEY: 'sk-bad', HOME: join(dir, 'nobody') })).toBeNull();
    expect(loginFallbackEnv({ outcome: 'completed', summary: '', stats: emptyRunStats() }, env)).toBeNull();
  });
});

describe('classifying a run', () => {
  const cleanExit: ProcessEnd = { thrown: null, startFailure: null, exitCode: 0, signal: null, stderrTail: '' };
  const errorExit: ProcessEnd = { ...cleanExit, exitCode: 1, thrown: new Error('Claude Code returned an error result: x') };

  function observed(...messages: ClaudeMessage[]): RunObservation {
    const observation = new RunObservation();
    for (const message of messages) observation.observe(message);
    return observation;
  }
  const init: ClaudeMessage = { type: 'system', subtype: 'init', session_id: 's-1', apiKeySource: 'ANTHROPIC_API_KEY' };
  const result = (fields: Partial<ClaudeMessage>): ClaudeMessage => ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    num_turns: 1,
    ...fields,
  });

  it('completes only on a success result not flagged is_error, with the latest cumulative stats', () => {
    const run = observed(
      init,
      result({ total_cost_usd: 0.01, usage: { input_tokens: 5 } }),
      result({
        result: 'All done.',
        total_cost_usd: 0.03,
        num_turns: 3,
        duration_ms: 900,
        usage: { input_tokens: 9, output_tokens: 4, server_tool_use: {} },
      }),
    );
    expect(classifyRun(run, cleanExit, null)).toEqual({
      outcome: 'completed',
      summary: 'All done.',
      stats: {
        cost_usd: 0.03,
        usage: { input_tokens: 9, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        num_turns: 3,
        duration_ms: 900,
        session_id: 's-1',
        api_key_source: 'ANTHROPIC_API_KEY',
      },
    });
    expect(classifyRun(observed(init, result({ is_error: true, result: 'API Error: 500' })), errorExit, null)).toMatchObject({
      outcome: 'failed',
      code: 'agent_error',
      message: 'Claude Code reported an error: API Error: 500',
    });
  });

  it('recognises authentication failures by error flag, HTTP status or text, and says what to do', () => {
    const cases = [
      observed(
        init,
        { type: 'assistant', error: 'authentication_failed', message: { content: [] } },
        result({ is_error: true, result: 'x' }),
      ),
      observed(init, result({ is_error: true, result: 'Forbidden', api_error_status: 403 })),
      observed(init, result({ is_error: true, result: 'Not logged in · Please run /login' })),
      observed(init, result({ is_error: true, result: 'Invalid API key · Fix external API key', api_error_status: 401 })),
    ];
    for (const run of cases) {
      const classified = classifyRun(run, errorExit, null);
      expect(classified).toMatchObject({ outcome: 'failed', code: 'auth_failed' });
      expect(classified.outcome === 'failed' && classified.message).toMatch(
        /ANTHROPIC_API_KEY.*claude auth login.*claude setup-token/s,
      );
    }
  });

  it('names the turn limit and the budget limit', () => {
    const turns = classifyRun(
      observed(init, result({ subtype: 'error_max_turns', is_error: true, errors: ['Reached maximum number of turns (4)'] })),
      errorExit,
      4,
    );
    expect(turns).toMatchObject({
      code: 'max_turns',
      message: 'Stopped after reaching max_turns (4) before finishing; raise --max-turns or split the task.',
    });
    const budget = classifyRun(
      observed(init, result({ subtype: 'error_max_budget_usd', is_error: true, errors: ['Budget of $1 exceeded'] })),
      errorExit,
      null,
    );
    expect(budget).toMatchObject({ code: 'max_budget', message: expect.stringMatching(/Budget of \$1 exceeded/) });
  });

  it('tells an exit without a result from a crash, with the exit code or signal and the stderr tail', () => {
    expect(classifyRun(observed(init), cleanExit, null)).toMatchObject({ code: 'no_result' });
    const crash = classifyRun(
      observed(init),
      { ...cleanExit, exitCode: 2, thrown: new Error('Claude Code process exited with code 2'), stderrTail: 'boom\n' },
      null,
    );
    expect(crash).toMatchObject({
      code: 'crashed',
      message: 'Claude Code exited with code 2 without a result. Last stderr: boom',
    });
    const killed = classifyRun(observed(), { ...cleanExit, exitCode: null, signal: 'SIGKILL' }, null);
    expect(killed).toMatchObject({ code: 'crashed', message: expect.stringMatching(/killed by SIGKILL/) });
    const sdkThrew = classifyRun(observed(init), { ...cleanExit, thrown: new Error('protocol mismatch') }, null);
    expect(sdkThrew).toMatchObject({ code: 'crashed', message: expect.stringMatching(/protocol mismatch/) });
  });

  it('tells a usage limit by its event, its 429 or its wording, with the reset time when there is one', () => {
    const event: ClaudeMessage = {
      type: 'rate_limit_event',
      rate_limit_info: { status: 'rejected', resetsAt: 1_800_000_000, rateLimitType: 'seven_day' },
    };
    const failed = result({ is_error: true, result: "You've hit your weekly limit" });
    expect(classifyRun(observed(init, event, failed), errorExit, null)).toMatchObject({
      outcome: 'limited',
      resetsAt: 1_800_000_000_000,
      limitType: 'seven_day',
      message: "Claude Code reported: usage limit reached (seven_day): You've hit your weekly limit",
    });
    const byStatus = observed(
      init,
      result({ is_error: true, result: 'API Error: Request rejected (429)', api_error_status: 429 }),
    );
    const byWords = observed(init, result({ is_error: true, result: 'Claude usage limit reached. Try again at 5pm.' }));
    for (const run of [byStatus, byWords]) {
      expect(classifyRun(run, errorExit, null)).toMatchObject({ outcome: 'limited', resetsAt: null, limitType: null });
    }
    // A warning that a limit is near changes nothing.
    const warned = { ...event, rate_limit_info: { status: 'allowed_warning', resetsAt: 1_800_000_000 } };
    expect(classifyRun(observed(init, warned, result({ result: 'ok' })), cleanExit, null)).toMatchObject({
      outcome: 'completed',
    });
  });

  it('marks a crash as transient only before the first tool use', () => {
    const crashEnd: ProcessEnd = { ...cleanExit, exitCode: 2 };
    expect(classifyRun(observed(init), crashEnd, null)).toMatchObject({ code: 'crashed', transient: true });
    const toolUse: ClaudeMessage = {
      type: 'assistant',
      message: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: '/w/a' } }] },
    };
    expect(classifyRun(observed(init, toolUse), crashEnd, null)).not.toHaveProperty('transient');
  });

  it("turns Claude Code's root refusal on stderr into the explanation, and a failed start into spawn_failed", () => {
    const stderrTail = '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n';
    expect(classifyRun(observed(), { ...cleanExit, exitCode: 1, stderrTail }, null)).toMatchObject({
      code: 'root_bypass_refused',
      message: ROOT_BYPASS_ADVICE,
    });
    expect(
      classifyRun(observed(), { ...cleanExit, exitCode: null, startFailure: 'spawn /opt/claude EACCES' }, null),
    ).toMatchObject({
      code: 'spawn_failed',
      message:
        'Could not start Claude Code: spawn /opt/claude EACCES. Run `claude-worker doctor` to see which executable is used and why it fails.',
    });
  });

  it("keeps the agent's last words as the summary of a failure", () => {
    const run = observed(init, { type: 'assistant', message: { content: [{ type: 'text', text: 'Half of it is done.' }] } });
    expect(classifyRun(run, { ...cleanExit, exitCode: 3 }, null)).toMatchObject({
      code: 'crashed',
      summary: 'Half of it is done.',
    });
  });
});
