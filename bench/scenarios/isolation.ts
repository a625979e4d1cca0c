/**
 * 7. The cost of isolation: submit → agent started over REST for a task in
 * a repository of 10,000 files, with a worktree and branch of its own
 * (`isolation: worktree`) and in place (`none`), one task at a time, and
 * `git worktree add` of the same repository alone, in the same run. The
 * target: the worktree adds under 300 ms at the median.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess } from '../../test/support/server-process.js';
import { recorded } from '../lib/door-latency.js';
import { benchPrompt, createBenchHome, preciseNow } from '../lib/environment.js';
import type { Figure } from '../lib/report.js';
import { summarize } from '../lib/stats.js';

const AGENT_MS = 100;
const FILES = 10_000;
const ALLOWED_EXTRA_MS = 300;
const SCENARIO = '7. Cost of isolation';

export async function isolationCost(samples: number): Promise<Figure> {
  const home = createBenchHome(AGENT_MS);
  const repo = join(home.dir, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: repo, stdio: 'pipe' });
  makeRepository(repo, git);
  const server = await startServerProcess(home.env, { workers: 4 });
  try {
    const measure = async (isolation: 'worktree' | 'none'): Promise<number[]> => {
      const latencies: number[] = [];
      for (let i = 0; i < samples; i++) {
        const marker = `${isolation}-${i}`;
        const submittedAt = preciseNow();
        const { task } = await server.client.submit({
          execution_prompt: benchPrompt(marker),
          working_directory: repo,
          isolation,
        });
        latencies.push((await recorded(home.startsFile, marker)) - submittedAt);
        // The task ends, its leftovers committed, before the next submit: each one finds an idle repository.
        await server.client.waitForTasks([task.id], 50);
      }
      return latencies;
    };
    const inPlace = await measure('none');
    const worktree = await measure('worktree');
    const worktreeAdd = timeWorktreeAdd(repo, git, samples, join(home.dir, 'plain-worktrees'));
    const ours = summarize(worktree);
    const baseline = summarize(inPlace);
    const extra = ours.median - baseline.median;
    return {
      scenario: SCENARIO,
      name: `REST: submit → agent started, with a worktree of a ${FILES.toLocaleString('en')}-file repository`,
      unit: 'ms',
      better: 'lower',
      ours,
      alternatives: [
        { system: 'the same task in place (isolation none)', value: baseline },
        { system: '`git worktree add` of the repository alone', value: summarize(worktreeAdd) },
      ],
      target: {
        text: `p50 under ${ALLOWED_EXTRA_MS} ms more than in place; measured ${extra.toFixed(0)} ms more`,
        met: extra < ALLOWED_EXTRA_MS,
      },
      note:
        'A worktree checks out every tracked file, so its cost grows with the repository; claude-worker adds a branch, ' +
        'the task record and a per-repository lock around `git worktree add`.',
    };
  } finally {
    await server.stop();
    home.remove();
  }
}

/** 100 directories of 100 small files, one commit. */
function makeRepository(repo: string, git: (...args: string[]) => Buffer): void {
  mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  for (let d = 0; d < FILES / 100; d++) {
    const dir = join(repo, `module-${d}`);
    mkdirSync(dir);
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file-${f}.ts`), `export const value${f} = ${d * 100 + f};\n`);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'ten thousand files');
}

function timeWorktreeAdd(repo: string, git: (...args: string[]) => Buffer, count: number, dir: string): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, String(i));
    const started = preciseNow();
    git('worktree', 'add', '-q', '-b', `bench-${i}`, path, 'HEAD');
    times.push(preciseNow() - started);
  }
  return times;
}
