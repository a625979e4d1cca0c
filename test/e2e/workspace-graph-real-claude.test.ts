/**
 * Orchestrations hand code along their graph, with the REAL Claude Code
 * binary against the loopback API stand-in, through a real server process,
 * on a real git repository: in a diamond, the last task starts from a merge
 * of its two dependencies' branches, and fails `merge_conflict`, naming the
 * file, before its agent starts when their changes overlap.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import type { FakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { startRealClaudeServer, type RealClaudeServer } from '../support/real-claude-server.js';
import type { ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let home: string;
let api: FakeAnthropicApi;
let server: ServerProcess;
let fixture: RealClaudeServer;

beforeAll(async () => {
  fixture = await startRealClaudeServer('cw-graph-real-', 3);
  ({ home, api, server } = fixture);
});

afterAll(() => fixture?.dispose());

const STORY = 'one\ntwo\nthree\nfour\nfive';

/**
 * A diamond over the file `story.txt`: a writes it, b and c each run `sed`
 * on it, d copies what its worktree holds to `seen.txt`. The stand-in turns
 * each `[bash:...]` marker into a Bash tool use of the real agent.
 */
async function runDiamond(repo: string, bEdit: string, cEdit: string): Promise<OrchestrationDetail> {
  const step = (identifier: string, command: string, depends_on: string[] = []) => ({
    identifier,
    depends_on,
    working_directory: repo,
    execution_prompt: `Step ${identifier} [bash:${command}] [node:${identifier}]`,
  });
  const { orchestration } = await server.client.submitOrchestration({
    name: `diamond in ${repo}`,
    tasks: [
      step('a', `printf '${STORY.replaceAll('\n', '\\n')}\\n' > story.txt`),
      step('b', `sed -i '${bEdit}' story.txt`, ['a']),
      step('c', `sed -i '${cEdit}' story.txt`, ['a']),
      step('d', 'cp story.txt seen.txt', ['b', 'c']),
    ],
  });
  return waitFor(
    async () => {
      const current = await server.client.getOrchestration(orchestration.id);
      return current.status === 'running' ? null : current;
    },
    { what: 'the diamond to end', timeoutMs: 120_000 },
  );
}

/** How many Messages requests the agents of the tasks named `identifier` have made so far. */
const requestsOf = (identifier: string) =>
  api.requests.filter((request) => JSON.stringify(request.body?.messages ?? []).includes(`[node:${identifier}]`)).length;

const byIdentifier = (done: OrchestrationDetail, identifier: string) => done.tasks.find((t) => t.identifier === identifier)!;

describe('a diamond orchestration on a git repository, with the real Claude Code', () => {
  it("starts the last task from a merge of both branches: its worktree holds b's and c's changes", async () => {
    const repo = await makeRepository(join(home, 'merged'), { 'README.md': 'hello\n' });
    const done = await runDiamond(repo, 's/^one$/ONE by b/', 's/^five$/FIVE by c/');

    expect(done.status).toBe('completed');
    const d = byIdentifier(done, 'd');
    const both = 'ONE by b\ntwo\nthree\nfour\nFIVE by c\n';
    // What d's agent found in its worktree when it ran, and what its branch holds.
    expect(await readFile(join(d.worktree_path!, 'seen.txt'), 'utf8')).toBe(both);
    expect(gitIn(repo, 'show', `${d.branch!}:story.txt`)).toBe(both.trim());
    for (const dependency of ['b', 'c']) {
      const head = byIdentifier(done, dependency).head_commit!;
      expect(gitIn(repo, 'merge-base', '--is-ancestor', head, d.head_commit!)).toBe('');
    }
    // The person's checkout holds none of it until they merge.
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(gitIn(repo, 'ls-files')).toBe('README.md');
  });

  it('fails the last task merge_conflict naming the file when b and c change the same line, before its agent starts', async () => {
    const repo = await makeRepository(join(home, 'conflicting'), { 'README.md': 'hello\n' });
    const dRequestsBefore = requestsOf('d');
    const done = await runDiamond(repo, 's/^one$/ONE by b/', 's/^one$/ONE by c/');

    expect(done.status).toBe('failed');
    expect(byIdentifier(done, 'b').status).toBe('completed');
    expect(byIdentifier(done, 'c').status).toBe('completed');
    const d = byIdentifier(done, 'd');
    expect(d).toMatchObject({ status: 'failed', error_code: 'merge_conflict' });
    expect(d.error_message).toContain('story.txt');
    expect(requestsOf('d')).toBe(dRequestsBefore);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
  });
});
