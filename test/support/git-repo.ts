/**
 * Throwaway git repositories for the workspace tests, independent of the
 * git configuration of whoever runs them: `gitIn`/`makeRepository` pass a
 * committer identity and no global config to each git they run;
 * `isolateGitConfig` points every git of a test file (claude-worker's own
 * included) at a config file of the test's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { git } from '../../src/workspace/git-command.js';

const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

/** Runs git in `cwd` and returns its output, trimmed. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' }).trim();
}

/** A new repository at `dir` (made if missing) on branch main, with `files` in its first commit (none: no commit). */
export async function makeRepository(dir: string, files: Record<string, string> = { 'README.md': 'hello\n' }): Promise<string> {
  await mkdir(dir, { recursive: true });
  gitIn(dir, 'init', '-q', '-b', 'main');
  if (Object.keys(files).length === 0) return dir;
  await writeFiles(dir, files);
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

/** For the whole test file: git sees only a config of its own, in a temporary home. */
export function isolateGitConfig(): void {
  const saved: Record<string, string | undefined> = {};
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cw-git-home-'));
    const config = join(home, '.gitconfig');
    await writeFile(config, '[user]\n\tname = Test Person\n\temail = test@example.com\n');
    const env = { HOME: home, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(home, { recursive: true, force: true });
  });
}

export interface TestRepo {
  root: string;
  /** Runs git in `cwd` (the repository by default) and returns its trimmed output. */
  run(args: readonly string[], cwd?: string): Promise<string>;
  write(path: string, content: string, cwd?: string): Promise<void>;
  read(path: string, cwd?: string): Promise<string>;
  /** Commits everything in `cwd` and returns the new commit. */
  commitAll(message: string, cwd?: string): Promise<string>;
  /** Creates `branch` at `from` with `files` written and committed, without touching the checkout; returns its head. */
  branchWith(branch: string, files: Record<string, string>, from?: string): Promise<string>;
  remove(): Promise<void>;
}

/** A repository on branch `main` with one commit holding `files`. */
export async function createRepo(files: Record<string, string> = { 'README.md': 'hello\n' }): Promise<TestRepo> {
  const root = await mkdtemp(join(tmpdir(), 'cw-repo-'));
  const scratch: string[] = [];
  const repo: TestRepo = {
    root,
    run: async (args, cwd = root) => (await git(cwd, args)).stdout.trim(),
    write: async (path, content, cwd = root) => {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await writeFile(join(cwd, path), content);
    },
    read: (path, cwd = root) => readFile(join(cwd, path), 'utf8'),
    commitAll: async (message, cwd = root) => {
      await repo.run(['add', '-A'], cwd);
      await repo.run(['commit', '-q', '-m', message], cwd);
      return repo.run(['rev-parse', 'HEAD'], cwd);
    },
    branchWith: async (branch, branchFiles, from = 'main') => {
      const worktree = await mkdtemp(join(tmpdir(), 'cw-branch-'));
      scratch.push(worktree);
      await repo.run(['worktree', 'add', '-q', '-b', branch, worktree, from]);
      for (const [path, content] of Object.entries(branchFiles)) await repo.write(path, content, worktree);
      const head = await repo.commitAll(`${branch}: change`, worktree);
      await repo.run(['worktree', 'remove', worktree]);
      return head;
    },
    remove: async () => {
      await rm(root, { recursive: true, force: true });
      for (const path of scratch) await rm(path, { recursive: true, force: true });
    },
  };
  await repo.run(['init', '-q', '-b', 'main']);
  for (const [path, content] of Object.entries(files)) await repo.write(path, content);
  await repo.commitAll('base');
  return repo;
}

/** What a person sees of a checkout: HEAD, `git status`, and the content of some files. */
export async function snapshot(repo: TestRepo, paths: readonly string[], cwd = repo.root) {
  return {
    head: await repo.run(['rev-parse', 'HEAD'], cwd),
    status: await repo.run(['status', '--porcelain'], cwd),
    files: await Promise.all(paths.map((path) => repo.read(path, cwd).catch(() => null))),
    branches: await repo.run(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'], cwd),
  };
}
