/**
 * A server killed mid-task, with the REAL Claude Code binary: the restarted
 * server re-runs the task by continuing the interrupted Claude Code session,
 * so the model gets the first attempt's conversation back.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CONTINUE_PROMPT } from '../../src/agents/claude-code/resume.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverAgainst(api: FakeAnthropicApi, home: string): Promise<ServerProcess> {
  const env = { ...realClaudeEnv(api.url, home), CLAUDE_WORKER_HOME: join(home, 'worker') };
  const server = await startServerProcess(env, { workers: 1 });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  });
  return server;
}

it('continues the Claude Code session of a task whose server was killed with SIGKILL', async () => {
  const home = await mkdtemp(join(tmpdir(), 'cw-resume-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const project = join(home, 'project');
  await mkdir(project);

  // The first model never answers: the agent is mid-task when the server dies.
  const silent = await startFakeAnthropicApi({ hang: true });
  cleanups.push(() => silent.close());
  const first = await serverAgainst(silent, home);
  const { task } = await first.client.submit({
    execution_prompt: 'Summarize the project [reply:summary from the resumed run]',
    working_directory: project,
  });
  await silent.waitForRequest();
  await waitFor(async () => (await first.client.get(task.id)).session_id, { what: 'the session id to be recorded' });
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');

  const answering = await startFakeAnthropicApi();
  cleanups.push(() => answering.close());
  const second = await serverAgainst(answering, home);
  const ended = await waitFor(
    async () => {
      const current = await second.client.get(task.id);
      return current.status === 'running' || current.status === 'pending' ? null : current;
    },
    { what: 'the task to end after the restart' },
  );

  // The reply marker is only in the first attempt's prompt: the model saw that conversation again.
  expect(ended).toMatchObject({ status: 'completed', attempts: 2, final_summary: 'summary from the resumed run' });
  expect(JSON.stringify(answering.requests.at(-1)!.body!.messages)).toContain(CONTINUE_PROMPT);
  expect(await second.client.logs(task.id)).toContain('[resume] continuing session');
  expect(await second.stop()).toBe(0);
});
