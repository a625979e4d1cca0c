/**
 * Warm agents: Claude Code processes started before their task, with the
 * REAL binary against the API stand-in. A spare runs its task as a process
 * started for it would; the pool never holds more than its size, and
 * closing it leaves no process behind.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunRequest } from '../../src/agents/agent.js';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { bundledClaudePath, realClaudeEnv } from '../support/agent-env.js';
import { agentRequest, recordRun } from '../support/agent-run.js';
import { claudeChildrenOf } from '../support/claude-processes.js';
import { startFakeAnthropicApi, WRITTEN_CONTENT, type FakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { waitFor } from '../support/wait.js';

let dir: string;
let api: FakeAnthropicApi;
let agent: ClaudeCodeAgent | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-warm-'));
  api = await startFakeAnthropicApi();
});

afterEach(async () => {
  await agent?.close();
  agent = null;
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Claude Code processes this test process started that are still alive. */
const claudeChildren = () => claudeChildrenOf(process.pid);

function run(prompt: string, extra: Partial<AgentRunRequest> = {}) {
  return recordRun(agent!, agentRequest({ prompt, cwd: dir, env: realClaudeEnv(api.url, join(dir, 'home')), ...extra }));
}

describe('warm agents (real Claude Code, API stand-in)', () => {
  it('runs a task on a parked spare: in the task folder, with its permission mode and appended system prompt', async () => {
    agent = new ClaudeCodeAgent({ warmAgents: 1 });
    // The first task starts its own process and tells the pool what to keep warm.
    const first = await run('[write:first.txt] Write the file.').done;
    expect(first.outcome).toBe('completed');
    await waitFor(() => agent!.warmAgentsReady === 1, { what: 'a parked spare' });
    const [sparePid] = claudeChildren();
    expect(sparePid).toBeDefined();

    const second = run('[write:second.txt] Write the second file.', {
      systemPrompt: 'MARKER-APPENDED-TO-SYSTEM-PROMPT',
      permissionMode: 'acceptEdits',
    });
    const result = await second.done;

    expect(result.outcome).toBe('completed');
    expect(await readFile(join(dir, 'second.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
    // The task ran in the spare, and its process was reported (for the orphan guard and the store).
    expect(second.spawns.map((s) => s.pid)).toEqual([sparePid]);
    const taskRequest = api.requests.find((r) => JSON.stringify(r.body?.messages ?? []).includes('[write:second.txt]'))!;
    expect(JSON.stringify(taskRequest.body?.system)).toContain('MARKER-APPENDED-TO-SYSTEM-PROMPT');
    expect(JSON.stringify(taskRequest.body)).toContain(`Primary working directory: ${dir}`);
  });

  it('never holds more spares than its size, and closing it stops every one of them', async () => {
    agent = new ClaudeCodeAgent({ warmAgents: 2 });
    // Every Claude Code process of this test process, counted all along: the one task running plus the spares.
    let most = 0;
    const counter = setInterval(() => (most = Math.max(most, claudeChildren().length)), 5);
    try {
      for (const name of ['a', 'b', 'c']) {
        expect((await run(`[write:${name}.txt] Write it.`).done).outcome).toBe('completed');
        await waitFor(() => agent!.warmAgentsReady === 2, { what: 'two parked spares' });
      }
    } finally {
      clearInterval(counter);
    }
    expect(most).toBeLessThanOrEqual(3);
    const spares = claudeChildren();
    expect(spares).toHaveLength(2);

    await agent.close();
    expect(spares.filter((pid) => isGroupAlive(pid))).toEqual([]);
    expect(claudeChildren()).toEqual([]);
    expect(agent.warmAgentsReady).toBe(0);
  });

  it('starts its own process for a task with other fixed settings, and then keeps spares for those', async () => {
    agent = new ClaudeCodeAgent({ warmAgents: 1 });
    expect((await run('[write:first.txt] Write it.').done).outcome).toBe('completed');
    await waitFor(() => agent!.warmAgentsReady === 1, { what: 'a parked spare' });
    const [oldSpare] = claudeChildren();

    // A turn limit is fixed when a process starts: the parked one cannot take this task.
    const limited = run('[write:limited.txt] Write it.', { maxTurns: 5 });
    expect((await limited.done).outcome).toBe('completed');
    expect(limited.spawns.map((s) => s.pid)).not.toContain(oldSpare);
    expect(isGroupAlive(oldSpare!)).toBe(false);

    await waitFor(() => agent!.warmAgentsReady === 1, { what: 'a spare for the new settings' });
    const [newSpare] = claudeChildren();
    const again = run('[write:again.txt] Write it.', { maxTurns: 5 });
    expect((await again.done).outcome).toBe('completed');
    expect(again.spawns.map((s) => s.pid)).toEqual([newSpare]);
  });

  it('starts its own process when the spare refuses the folder, and the task runs once', async () => {
    agent = new ClaudeCodeAgent({ warmAgents: 1 });
    expect((await run('[write:first.txt] Write it.').done).outcome).toBe('completed');
    await waitFor(() => agent!.warmAgentsReady === 1, { what: 'a parked spare' });
    const [spare] = claudeChildren();
    // A folder whose project settings choose the model: a parked process cannot take those on.
    const folder = join(dir, 'with-settings');
    await mkdir(join(folder, '.claude'), { recursive: true });
    await writeFile(join(folder, '.claude', 'settings.json'), JSON.stringify({ model: 'claude-sonnet-4-5' }));

    const refused = run('[write:refused.txt] Write it.', { cwd: folder });
    const result = await refused.done;

    expect(result.outcome).toBe('completed');
    expect(await readFile(join(folder, 'refused.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
    // The spare was offered the task (and is gone since), yet another process ran it.
    expect(isGroupAlive(spare!)).toBe(false);
    expect(refused.spawns.map((s) => s.pid)).not.toContain(spare);
    // The tool use and the answer after it: the refused claim sent nothing to the model.
    expect(api.requests.filter((r) => JSON.stringify(r.body?.messages ?? []).includes('[write:refused.txt]'))).toHaveLength(2);
  });

  it('stops a task running on a spare when it is cancelled, with its whole process group', async () => {
    await api.close();
    // The first task's two requests are answered; the task on the spare then waits on the model.
    api = await startFakeAnthropicApi({ answerOnly: 2 });
    agent = new ClaudeCodeAgent({ warmAgents: 1 });
    expect((await run('[write:first.txt] Write it.').done).outcome).toBe('completed');
    await waitFor(() => agent!.warmAgentsReady === 1, { what: 'a parked spare' });
    const [spare] = claudeChildren();

    const cancel = new AbortController();
    const stuck = run('[write:stuck.txt] Write it.', { signal: cancel.signal });
    await api.waitForRequest((r) => JSON.stringify(r.body?.messages ?? []).includes('[write:stuck.txt]'));
    cancel.abort();

    expect((await stuck.done).outcome).toBe('aborted');
    expect(stuck.spawns.map((s) => s.pid)).toEqual([spare]);
    expect(isGroupAlive(spare!)).toBe(false);
  });

  it('keeps no spare for an executable of its own (it may not know how to wait for a task)', async () => {
    agent = new ClaudeCodeAgent({ warmAgents: 1, executablePath: bundledClaudePath() });
    const result = await run('[write:own.txt] Write it.').done;
    expect(result.outcome).toBe('completed');
    expect(agent.warmAgentsReady).toBe(0);
    expect(claudeChildren()).toEqual([]);
  });
});
