/**
 * `continue` with the REAL Claude Code binary: the follow-up resumes the
 * ended task's session, so the model gets the first conversation back, and
 * works in the same worktree, committing on the same branch.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi, WRITTEN_CONTENT } from '../support/fake-anthropic-api.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { startServerProcess, taskEnded } from '../support/server-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('a follow-up of a completed task resumes its conversation and commits on its branch', async () => {
  const home = await realpath(await mkdtemp(join(tmpdir(), 'cw-continue-')));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const repo = await makeRepository(join(home, 'repo'));
  const userHead = gitIn(repo, 'rev-parse', 'HEAD');
  const api = await startFakeAnthropicApi({ replyText: 'The first file is written.' });
  cleanups.push(() => api.close());
  const env = { ...realClaudeEnv(api.url, home), CLAUDE_WORKER_HOME: join(home, 'worker') };
  const server = await startServerProcess(env, { workers: 1 });
  cleanups.push(() => server.stop());

  const { task } = await server.client.submit({
    execution_prompt: 'Write the first file [write:first.txt]',
    working_directory: repo,
    permission_mode: 'acceptEdits',
  });
  const parent: Task = await taskEnded(server, task.id);
  expect(parent).toMatchObject({ status: 'completed', isolation: 'worktree', final_summary: 'The first file is written.' });
  const firstRequests = api.requests.length;

  const followUp = await server.client.continueTask(task.id, { message: 'Now write the second file [write:second.txt]' });
  expect(followUp).toMatchObject({
    continues: task.id,
    isolation: 'worktree',
    base_commit: parent.head_commit,
    branch: parent.branch,
    worktree_path: parent.worktree_path,
    permission_mode: 'acceptEdits',
  });
  const done = await taskEnded(server, followUp.id);
  expect(done.status).toBe('completed');

  // The follow-up's first request holds the whole first conversation: the prompt and the answer.
  const conversation = JSON.stringify(api.requests[firstRequests]!.body!.messages);
  expect(conversation).toContain('Write the first file [write:first.txt]');
  expect(conversation).toContain('The first file is written.');
  expect(conversation).toContain('Now write the second file');
  expect(await server.client.logs(followUp.id)).toContain(`[resume] continuing session ${parent.session_id} of task ${task.id}`);

  // Same branch, same worktree: the follow-up's commit sits on top of the first task's.
  expect(done.branch).toBe(parent.branch);
  expect(gitIn(repo, 'rev-parse', `${done.branch!}~1`)).toBe(parent.head_commit);
  expect(gitIn(repo, 'rev-parse', done.branch!)).toBe(done.head_commit);
  expect(gitIn(repo, 'show', `${done.branch!}:first.txt`)).toBe(WRITTEN_CONTENT.trim());
  expect(gitIn(repo, 'show', `${done.branch!}:second.txt`)).toBe(WRITTEN_CONTENT.trim());
  expect(done.changes).toEqual({ files: 1, insertions: 1, deletions: 0 });
  expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(userHead);
});
