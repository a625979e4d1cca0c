/**
 * Task graphs run by the REAL Claude Code binary against the loopback
 * Messages API stand-in, through a real server process: dependents start
 * only after their dependencies ended, and their prompt carries the
 * dependencies' summaries.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestrationDetail } from '../../src/core/orchestration.js';
import { RESULTS_BEGIN } from '../../src/runner/dependency-results.js';
import type { FakeAnthropicApi, RecordedRequest } from '../support/fake-anthropic-api.js';
import { startRealClaudeServer, type RealClaudeServer } from '../support/real-claude-server.js';
import type { ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let home: string;
let api: FakeAnthropicApi;
let server: ServerProcess;
let fixture: RealClaudeServer;

beforeAll(async () => {
  fixture = await startRealClaudeServer('cw-orch-real-', 3);
  ({ home, api, server } = fixture);
});

afterAll(() => fixture?.dispose());

/** A task whose "model" answers with `summary`; `[node:...]` finds its requests again. */
function task(identifier: string, dir: string, depends_on: string[] = []) {
  return {
    identifier,
    depends_on,
    working_directory: dir,
    execution_prompt: `Step ${identifier}: write ${identifier}.txt [write:${identifier}.txt] [node:${identifier}] [reply:Summary of ${identifier}: done]`,
  };
}

async function runGraph(name: string, tasks: ReturnType<typeof task>[]): Promise<OrchestrationDetail> {
  const { orchestration } = await server.client.submitOrchestration({ name, tasks });
  return waitFor(
    async () => {
      const current = await server.client.getOrchestration(orchestration.id);
      return current.status === 'running' ? null : current;
    },
    { what: `orchestration ${name} to end`, timeoutMs: 120_000 },
  );
}

/** The Messages requests of one task, in arrival order. */
function requestsOf(identifier: string): RecordedRequest[] {
  const marker = `[node:${identifier}]`;
  return api.requests.filter((request) => JSON.stringify(request.body?.messages ?? []).includes(marker));
}

/** Every request of `later` came after every request of each of `earlier`. */
function expectAfter(later: string, earlier: string[]): void {
  const firstOfLater = api.requests.indexOf(requestsOf(later)[0]!);
  for (const dependency of earlier) {
    expect(api.requests.indexOf(requestsOf(dependency).at(-1)!), `${dependency} before ${later}`).toBeLessThan(firstOfLater);
  }
}

function promptOf(identifier: string): string {
  return JSON.stringify(requestsOf(identifier)[0]!.body!.messages);
}

describe('orchestrations with the real Claude Code', () => {
  it('run a diamond in order, passing each summary to the tasks after it', async () => {
    const dir = join(home, 'diamond');
    await mkdir(dir);
    const done = await runGraph('diamond', [
      task('a', dir),
      task('b', dir, ['a']),
      task('c', dir, ['a']),
      task('d', dir, ['b', 'c']),
    ]);

    expect(done.status).toBe('completed');
    for (const t of done.tasks) {
      expect(t).toMatchObject({
        status: 'completed',
        final_summary: `Summary of ${t.identifier}: done`,
        last_action_cache: `[Write] ${t.identifier}.txt`,
      });
    }
    expectAfter('b', ['a']);
    expectAfter('c', ['a']);
    expectAfter('d', ['b', 'c']);
    const started = (id: string) => Date.parse(done.tasks.find((t) => t.identifier === id)!.started_at!);
    const ended = (id: string) => Date.parse(done.tasks.find((t) => t.identifier === id)!.ended_at!);
    expect(started('d')).toBeGreaterThanOrEqual(Math.max(ended('b'), ended('c')));

    const d = promptOf('d');
    expect(d).toContain(RESULTS_BEGIN);
    expect(d).toContain('Summary of b: done');
    expect(d).toContain('Summary of c: done');
    expect(d).toContain(`Working directory: ${dir}`);
    expect(d).not.toContain('Summary of a: done');
    expect(promptOf('a')).not.toContain(RESULTS_BEGIN);
  });

  it('fan out from one task and back into one, which hears from every branch', async () => {
    const dir = join(home, 'fan');
    await mkdir(dir);
    const branches = ['left', 'middle', 'right'];
    const done = await runGraph('fan', [
      task('root', dir),
      ...branches.map((branch) => task(branch, dir, ['root'])),
      task('join', dir, branches),
    ]);

    expect(done.status).toBe('completed');
    expect(done.counts.completed).toBe(5);
    for (const branch of branches) expectAfter(branch, ['root']);
    expectAfter('join', branches);
    const join_ = promptOf('join');
    for (const branch of branches) expect(join_).toContain(`Task \\"${branch}\\": completed`);
    for (const branch of branches) expect(join_).toContain(`Summary of ${branch}: done`);
  });
});
