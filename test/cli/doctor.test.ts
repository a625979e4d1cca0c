/**
 * `claude-worker doctor` run as a user runs it, each problem made real: a
 * missing Claude Code binary, root with bypassPermissions, a home it cannot
 * write, an unreachable server and a server of another version.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/app/doctor/doctor.js';
import { openStore } from '../../src/store/open-store.js';
import { VERSION } from '../../src/version.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';

let cli: CliHome;

beforeAll(async () => {
  // A setup that passes: the fake Claude Code, an API key, acceptEdits, a temp home, no server running yet.
  cli = await createCliHome(() => ({ ANTHROPIC_API_KEY: 'sk-test-key' }));
});

afterAll(async () => {
  await cli?.dispose();
});

async function doctor(env: Record<string, string | undefined> = {}) {
  const run = await cli.run(['doctor', '--json'], { env });
  const report = JSON.parse(run.stdout) as DoctorReport;
  const check = (id: string) => {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${run.stdout}`);
    return found;
  };
  return { code: run.code, report, check };
}

/** A loopback HTTP server answering /health as a claude-worker of `version` would. */
async function healthServer(version: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.url === '/health' ? { service: 'claude-worker', version } : {}));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

it('passes and exits 0 on a working setup, naming the executable and the credentials it found', async () => {
  const { code, report, check } = await doctor();
  expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
  expect(report.ok).toBe(true);
  expect(check('claude_code').detail).toMatch(
    /^0\.0\.0-fake \(Claude Code\) at .*fake-claude\.mjs \(CLAUDE_WORKER_CLAUDE_PATH\)$/,
  );
  expect(check('credentials').detail).toContain('ANTHROPIC_API_KEY');
  expect(check('server').detail).toContain('commands start it when needed');
  expect(check('postgres').status).toBe('skip');
  expect(check('sqlite_wal').status).toBe('ok');
  expect(check('git').status).toBe('ok');
});

it('prints a readable report, with a fix under each failed check', async () => {
  const run = await cli.run(['doctor'], { env: { CLAUDE_WORKER_CLAUDE_PATH: join(cli.home, 'no-claude') } });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^FAIL Claude Code +not found: .*no-claude \(CLAUDE_WORKER_CLAUDE_PATH\)$/m);
  expect(run.stdout).toMatch(/^ +fix: Set CLAUDE_WORKER_CLAUDE_PATH to the path of an installed Claude Code executable/m);
  expect(run.stdout).toMatch(/^ok +Node\.js +/m);
  expect(run.stdout).toContain('1 check failed.');
});

it('finds the Claude Code binary bundled with the Agent SDK when none is configured, and asks its version', async () => {
  const { check } = await doctor({ CLAUDE_WORKER_CLAUDE_PATH: undefined });
  expect(check('claude_code')).toMatchObject({
    status: 'ok',
    detail: expect.stringMatching(
      /^\d+\.\d+\.\d+ \(Claude Code\) at .*claude-agent-sdk-[\w-]+\/claude(\.exe)? \(bundled with the Agent SDK\)$/,
    ),
  });
});

it('fails when the configured Claude Code binary is missing', async () => {
  const { code, report, check } = await doctor({ CLAUDE_WORKER_CLAUDE_PATH: join(cli.home, 'no-claude') });
  expect(code).toBe(1);
  expect(report.ok).toBe(false);
  expect(check('claude_code')).toMatchObject({ status: 'fail', fix: expect.stringContaining('CLAUDE_WORKER_CLAUDE_PATH') });
});

it('fails without any credentials, and names the login when there is one', async () => {
  const none = await doctor({ ANTHROPIC_API_KEY: undefined });
  expect(none.check('credentials')).toMatchObject({ status: 'fail', fix: expect.stringContaining('claude auth login') });
  expect(none.code).toBe(1);
  const login = await doctor({ ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: 'oauth-token' });
  expect(login.check('credentials')).toMatchObject({ status: 'ok', detail: expect.stringContaining('CLAUDE_CODE_OAUTH_TOKEN') });
});

describe('root with bypassPermissions', () => {
  const isRoot = process.getuid?.() === 0;

  it(isRoot ? 'fails as root without IS_SANDBOX, passes with it' : 'passes for a normal user', async () => {
    const bypass = await doctor({ CLAUDE_WORKER_PERMISSION_MODE: 'bypassPermissions', IS_SANDBOX: undefined });
    if (isRoot) {
      expect(bypass.check('root_bypass')).toMatchObject({ status: 'fail', fix: expect.stringContaining('IS_SANDBOX=1') });
      expect(bypass.code).toBe(1);
      const sandbox = await doctor({ CLAUDE_WORKER_PERMISSION_MODE: 'bypassPermissions', IS_SANDBOX: '1' });
      expect(sandbox.check('root_bypass').status).toBe('ok');
    } else {
      expect(bypass.check('root_bypass')).toMatchObject({ status: 'ok', detail: 'bypassPermissions, not root' });
    }
  });
});

it('fails when the home cannot be written', async () => {
  // Root writes through any mode bits, so as root the home is a directory of sysfs, which nobody can write.
  const home = process.getuid?.() === 0 ? '/sys/kernel' : join(cli.home, 'read-only');
  if (home !== '/sys/kernel') {
    await mkdir(home);
    await chmod(home, 0o500);
  }
  const { code, check } = await doctor({ CLAUDE_WORKER_HOME: home });
  expect(code).toBe(1);
  expect(check('home')).toMatchObject({ status: 'fail', fix: expect.stringContaining('CLAUDE_WORKER_HOME') });
  expect(check('home').detail).toMatch(/is not writable \(E(ACCES|PERM)\)/);
  expect(check('database').status).toBe('fail');
});

it('fails when a remote server cannot be reached', async () => {
  const { code, check } = await doctor({ CLAUDE_WORKER_SERVER_URL: 'http://claude-worker.invalid:8000' });
  expect(code).toBe(1);
  expect(check('server')).toMatchObject({
    status: 'fail',
    detail: expect.stringContaining('cannot reach http://claude-worker.invalid:8000'),
  });
});

describe('a server that answers', () => {
  let other: { url: string; server: Server };
  let api: ApiFixture;
  let apiUrl: string;

  beforeAll(async () => {
    other = await healthServer('0.0.1');
    api = await createApiFixture();
    apiUrl = await api.listen();
  });

  afterAll(async () => {
    other?.server.close();
    await api?.close();
  });

  it('fails when it runs another version, and says to restart it', async () => {
    const { code, check } = await doctor({ CLAUDE_WORKER_SERVER_URL: other.url });
    expect(code).toBe(1);
    expect(check('server')).toMatchObject({
      status: 'fail',
      detail: `${other.url} runs claude-worker 0.0.1, this command is ${VERSION}`,
      fix: 'Restart it with this version: claude-worker server restart',
    });
  });

  it('passes when it runs this version', async () => {
    const { check } = await doctor({ CLAUDE_WORKER_SERVER_URL: apiUrl });
    expect(check('server')).toMatchObject({ status: 'ok', detail: `${apiUrl} answers, version ${VERSION}` });
  });
});

describe('PostgreSQL', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('fails for a database not migrated yet, and passes once a store has migrated it', async () => {
    const url = await cluster.createDatabase();
    const fresh = await doctor({ CLAUDE_WORKER_DB: url });
    expect(fresh.check('postgres')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/is at schema version 0 of \d+$/),
      fix: expect.stringContaining('the first process to start migrates it'),
    });
    expect(fresh.check('sqlite_wal').status).toBe('skip');
    await (await openStore(url)).close();
    const migrated = await doctor({ CLAUDE_WORKER_DB: url });
    expect(migrated.check('postgres')).toMatchObject({ status: 'ok', detail: expect.stringContaining('(current)') });
  });

  it('fails when it cannot connect, without showing the password', async () => {
    const url = new URL(await cluster.createDatabase());
    url.password = 'the-secret';
    url.pathname = '/no_such_database';
    const { code, check } = await doctor({ CLAUDE_WORKER_DB: url.toString() });
    expect(code).toBe(1);
    expect(check('postgres')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^cannot connect to /) });
    expect(check('postgres').detail).not.toContain('the-secret');
  });
});
