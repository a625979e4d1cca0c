/**
 * `claude-worker orchestrate` and friends as a user runs them: the built
 * CLI, a daemon it starts, and the fake Claude Code executable.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestrationDetail, OrchestrationPage } from '../../src/core/orchestration.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

const EXAMPLES = new URL('../../examples', import.meta.url).pathname;
const WORKERS = 3;

let cli: CliHome;
let events: string;

beforeAll(async () => {
  cli = await createCliHome((home) => ({
    CLAUDE_WORKER_MAX_WORKERS: String(WORKERS),
    FAKE_CLAUDE_EVENTS_FILE: join(home, 'events.log'),
  }));
  events = join(cli.home, 'events.log');
  await cp(EXAMPLES, join(cli.home, 'examples'), { recursive: true });
});

afterAll(async () => {
  await cli?.dispose();
});

/** Writes a graph file into the home (JSON, or YAML for a .yaml name) and returns its path. */
async function graphFile(name: string, graph: object): Promise<string> {
  const path = join(cli.home, name);
  await writeFile(path, name.endsWith('.yaml') ? toYaml(graph) : JSON.stringify(graph));
  return path;
}

const node = (identifier: string, depends_on: string[] = [], prompt = `Work on ${identifier}`) => ({
  identifier,
  depends_on,
  execution_prompt: `${prompt} [node:${identifier}]`,
  working_directory: '.',
});

async function orchestrate(args: string[]): Promise<{ code: number | null; orchestration: OrchestrationDetail; stderr: string }> {
  const result = await cli.run(['orchestrate', ...args, '--json']);
  if (result.stdout.trim() === '') throw new Error(`no output (exit ${result.code}):\n${result.stderr}`);
  return { code: result.code, orchestration: JSON.parse(result.stdout) as OrchestrationDetail, stderr: result.stderr };
}

const statusOf = (orchestration: OrchestrationDetail) =>
  Object.fromEntries(orchestration.tasks.map((task) => [task.identifier, task.status]));

describe('the example graphs', () => {
  for (const example of ['diamond.json', 'fan-out-fan-in.json', 'release-notes.yaml']) {
    it(`run ${example} to completion with --wait, in the directories it names relative to itself`, async () => {
      const { code, orchestration, stderr } = await orchestrate([
        join(cli.home, 'examples', 'orchestrations', example),
        '--wait',
      ]);
      expect(code, stderr).toBe(0);
      expect(orchestration.status).toBe('completed');
      expect(orchestration.tasks.length).toBeGreaterThan(1);
      for (const task of orchestration.tasks) {
        expect(task).toMatchObject({ status: 'completed', working_directory: join(cli.home, 'examples', 'hello-project') });
      }
    });
  }
});

describe('claude-worker orchestrate', () => {
  it('skips exactly the tasks after a failing one and exits 1', async () => {
    const file = await graphFile('middle-fails.yaml', {
      name: 'middle fails',
      tasks: [
        node('root'),
        node('middle', ['root'], '[fake:error] Break'),
        node('after-middle', ['middle']),
        node('last', ['after-middle', 'side']),
        node('side', ['root']),
        node('side-after', ['side']),
      ],
    });
    const { code, orchestration } = await orchestrate([file, '--wait']);

    expect(code).toBe(1);
    expect(orchestration.status).toBe('failed');
    expect(statusOf(orchestration)).toEqual({
      root: 'completed',
      middle: 'failed',
      'after-middle': 'skipped',
      last: 'skipped',
      side: 'completed',
      'side-after': 'completed',
    });
    const log = await readFile(events, 'utf8');
    expect(log).not.toMatch(/start (after-middle|last)\n/);
  });

  it('shows progress and the graph while waiting, and in orchestration-status and list-orchestrations', async () => {
    const file = await graphFile('pair.json', { name: 'pair', tasks: [node('first'), node('second', ['first'])] });
    const waited = await cli.run(['orchestrate', file, '--wait']);
    expect(waited.code, waited.stderr).toBe(0);
    const id = /Orchestration (\d+) "pair" completed: 2 completed/.exec(waited.stdout)?.[1];
    expect(id, waited.stdout).toBeDefined();
    expect(waited.stdout).toMatch(/second \(task \d+\) waiting[\s\S]*second \(task \d+\) completed/);

    const status = await cli.run(['orchestration-status', id!]);
    expect(status.stdout).toMatch(/^TASK\s+ID\s+STATUS\s+AFTER/m);
    expect(status.stdout).toMatch(/^second\s+\d+\s+completed\s+first\s/m);
    const list = await cli.run(['list-orchestrations', '--json']);
    expect(JSON.parse(list.stdout).orchestrations.map((o: { id: number }) => o.id)).toContain(Number(id));
  });

  it('rejects a cycle, an unknown dependency and a duplicate identifier together, before anything starts', async () => {
    const file = await graphFile('broken.json', {
      name: 'broken',
      tasks: [node('a', ['b']), node('b', ['a']), node('c', ['ghost']), node('c')],
    });
    const before = (await cli.run(['list-orchestrations', '--json'])).stdout;
    const result = await cli.run(['orchestrate', file]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('tasks[3].identifier: "c" is already the identifier of tasks[2]');
    expect(result.stderr).toContain('tasks[2].depends_on[0]: no task has the identifier "ghost"');
    expect(result.stderr).toContain('tasks[1].depends_on[0]: cycle: a -> b -> a');
    expect((await cli.run(['list-orchestrations', '--json'])).stdout).toBe(before);
  });

  it('names an orchestration whose file gives no name after the file, without its extension', async () => {
    const json = await orchestrate([await graphFile('nightly-build.json', { tasks: [node('only')] })]);
    expect(json.orchestration.name).toBe('nightly-build');
    const yaml = await orchestrate([await graphFile('weekly.report.yaml', { tasks: [node('only')] })]);
    expect(yaml.orchestration.name).toBe('weekly.report');
  });

  it('returns the existing orchestration for a key submitted again', async () => {
    const file = await graphFile('keyed.json', { name: 'keyed', key: 'nightly-2025-06-01', tasks: [node('only')] });
    const first = await orchestrate([file]);
    const again = await cli.run(['orchestrate', file]);

    expect(again.stdout).toContain(`Orchestration ${first.orchestration.id} already exists for this key`);
    const page = JSON.parse((await cli.run(['list-orchestrations', '--json', '--limit', '100'])).stdout) as OrchestrationPage;
    expect(page.orchestrations.filter((o) => o.key === 'nightly-2025-06-01')).toHaveLength(1);
  });

  it(`runs a 200-task graph with never more than ${WORKERS} agents at once, each after its dependencies`, async () => {
    // A binary tree: task i depends on task (i-1)/2, so up to half the graph is runnable at once.
    const tasks = Array.from({ length: 200 }, (_, i) => node(`w${i}`, i === 0 ? [] : [`w${Math.floor((i - 1) / 2)}`]));
    const { code, orchestration } = await orchestrate([await graphFile('wide.json', { name: 'wide', tasks }), '--wait']);
    expect(code).toBe(0);
    expect(orchestration.counts.completed).toBe(200);

    const lines = (await readFile(events, 'utf8')).split('\n').filter((line) => / w\d+$/.test(line));
    expect(lines).toHaveLength(400);
    let running = 0;
    let most = 0;
    const ended = new Set<string>();
    for (const line of lines) {
      const [kind, name] = line.split(' ') as [string, string];
      if (kind === 'start') {
        running += 1;
        most = Math.max(most, running);
        const index = Number(name.slice(1));
        if (index > 0)
          expect(ended.has(`w${Math.floor((index - 1) / 2)}`), `${name} started after its dependency ended`).toBe(true);
      } else {
        running -= 1;
        ended.add(name);
      }
    }
    expect(most).toBeLessThanOrEqual(WORKERS);
    // The limit was reached, not merely respected by a graph that never offered more work.
    expect(most).toBeGreaterThan(1);
  });
});
