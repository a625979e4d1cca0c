import { resolve } from 'node:path';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDatabase, loadConfig } from '../../src/core/config.js';
import { ValidationError } from '../../src/core/errors.js';

describe('loadConfig', () => {
  it('derives every path from CLAUDE_WORKER_HOME', () => {
    const config = loadConfig({ CLAUDE_WORKER_HOME: '/srv/cw' });
    expect(config).toMatchObject({ home: '/srv/cw', dbPath: '/srv/cw/tasks.db', logDir: '/srv/cw/logs' });
    expect(config).toMatchObject({ serverUrl: 'http://127.0.0.1:8000', concurrency: 4, permissionMode: 'bypassPermissions' });
  });

  it('reads the default isolation and where worktrees go', () => {
    expect(loadConfig({ CLAUDE_WORKER_HOME: '/srv/cw' })).toMatchObject({ isolation: null, worktreesDir: '/srv/cw/worktrees' });
    expect(loadConfig({ CLAUDE_WORKER_ISOLATION: 'none', CLAUDE_WORKER_WORKTREES_DIR: '/var/worktrees' })).toMatchObject({
      isolation: 'none',
      worktreesDir: '/var/worktrees',
    });
    expect(() => loadConfig({ CLAUDE_WORKER_ISOLATION: 'copy' })).toThrow(
      expect.objectContaining({
        issues: [{ field: 'CLAUDE_WORKER_ISOLATION', message: 'must be one of worktree, none (got "copy")' }],
      }),
    );
  });

  it('reads the webhook receiver, its secret and the first retry delay, refusing a receiver that is not an http(s) URL', () => {
    expect(loadConfig({})).toMatchObject({ webhookUrl: null, webhookSecret: null, webhookRetryMs: 10_000 });
    expect(
      loadConfig({
        CLAUDE_WORKER_WEBHOOK_URL: 'https://hooks.example.com/cw',
        CLAUDE_WORKER_WEBHOOK_SECRET: 's3cret',
        CLAUDE_WORKER_WEBHOOK_RETRY_MS: '500',
      }),
    ).toMatchObject({ webhookUrl: 'https://hooks.example.com/cw', webhookSecret: 's3cret', webhookRetryMs: 500 });
    expect(() => loadConfig({ CLAUDE_WORKER_WEBHOOK_URL: 'hooks.example.com' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'CLAUDE_WORKER_WEBHOOK_URL' })] }),
    );
  });

  it('defaults to ~/.claude-worker and expands ~ in paths', () => {
    expect(loadConfig({}).home).toBe(join(homedir(), '.claude-worker'));
    expect(loadConfig({ CLAUDE_WORKER_DB: '~/x/tasks.db' }).dbPath).toBe(join(homedir(), 'x/tasks.db'));
  });

  it('keeps a PostgreSQL URL as it is, and never shows its password', () => {
    expect(loadConfig({ CLAUDE_WORKER_DB: 'postgres://u@db:5432/cw' }).dbPath).toBe('postgres://u@db:5432/cw');
    expect(describeDatabase('postgres://u:secret@db:5432/cw')).toBe('postgres://u:***@db:5432/cw');
    expect(describeDatabase('/srv/cw/tasks.db')).toBe('/srv/cw/tasks.db');
  });

  it('reads the labels, name and drain timeout of this node, defaulting to none, the host name and 0', () => {
    expect(loadConfig({})).toMatchObject({ labels: {}, workerName: hostname(), drainTimeoutSeconds: 0 });
    const config = loadConfig({
      CLAUDE_WORKER_LABELS: 'region=eu, gpu=true',
      CLAUDE_WORKER_NAME: 'gpu-1',
      CLAUDE_WORKER_DRAIN_TIMEOUT: '600',
    });
    expect(config).toMatchObject({ labels: { gpu: 'true', region: 'eu' }, workerName: 'gpu-1', drainTimeoutSeconds: 600 });
  });

  it('keeps finished tasks 30 days and failed ones 90 by default; 0 keeps them, a negative number is refused', () => {
    expect(loadConfig({})).toMatchObject({ retentionDays: 30, failedRetentionDays: 90 });
    const config = loadConfig({ CLAUDE_WORKER_RETENTION_DAYS: '0', CLAUDE_WORKER_FAILED_RETENTION_DAYS: '365' });
    expect(config).toMatchObject({ retentionDays: 0, failedRetentionDays: 365 });
    expect(() => loadConfig({ CLAUDE_WORKER_RETENTION_DAYS: '-1' })).toThrow(
      /CLAUDE_WORKER_RETENTION_DAYS: must be an integer >= 0/,
    );
  });

  it('keeps one warm agent by default; 0 keeps none, anything but a whole number >= 0 is refused', () => {
    expect(loadConfig({}).warmAgents).toBe(1);
    expect(loadConfig({ CLAUDE_WORKER_WARM_AGENTS: '0' }).warmAgents).toBe(0);
    expect(loadConfig({ CLAUDE_WORKER_WARM_AGENTS: '3' }).warmAgents).toBe(3);
    for (const bad of ['-1', 'two', '1.5']) {
      expect(() => loadConfig({ CLAUDE_WORKER_WARM_AGENTS: bad })).toThrow(/CLAUDE_WORKER_WARM_AGENTS: must be an integer >= 0/);
    }
  });

  it('has no daily budget by default, takes one in dollars, and refuses one that is not a positive amount', () => {
    expect(loadConfig({})).toMatchObject({ dailyBudgetUsd: null, retryBackoffMs: 10_000, limitBackoffMs: 30_000 });
    expect(loadConfig({ CLAUDE_WORKER_DAILY_BUDGET_USD: '12.5' }).dailyBudgetUsd).toBe(12.5);
    for (const bad of ['0', '-3', 'ten', 'Infinity']) {
      expect(() => loadConfig({ CLAUDE_WORKER_DAILY_BUDGET_USD: bad })).toThrow(
        /CLAUDE_WORKER_DAILY_BUDGET_USD: must be a number of US dollars above 0/,
      );
    }
  });

  it('lists every problem with CLAUDE_WORKER_LABELS', () => {
    let error: unknown;
    try {
      loadConfig({ CLAUDE_WORKER_LABELS: 'gpu,region=eu,region=us,bad name=x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'CLAUDE_WORKER_LABELS', message: '"gpu" is not of the form name=value' },
      { field: 'CLAUDE_WORKER_LABELS', message: 'label region is given twice, as eu and as us' },
      { field: 'CLAUDE_WORKER_LABELS', message: expect.stringMatching(/^label name "bad name" must start/) },
    ]);
  });

  it('reports every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({ CLAUDE_WORKER_MAX_WORKERS: 'many', CLAUDE_WORKER_PERMISSION_MODE: 'yolo' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual([
      'CLAUDE_WORKER_MAX_WORKERS',
      'CLAUDE_WORKER_PERMISSION_MODE',
    ]);
  });

  it('calls the number of tasks run at once concurrency, and still takes its old name', () => {
    expect(loadConfig({ CLAUDE_WORKER_CONCURRENCY: '7' }).concurrency).toBe(7);
    expect(loadConfig({ CLAUDE_WORKER_MAX_WORKERS: '3' }).concurrency).toBe(3);
    expect(loadConfig({ CLAUDE_WORKER_CONCURRENCY: '7', CLAUDE_WORKER_MAX_WORKERS: '3' }).concurrency).toBe(7);
    expect(() => loadConfig({ CLAUDE_WORKER_CONCURRENCY: '0' })).toThrow(/CLAUDE_WORKER_CONCURRENCY/);
  });

  it('lays the flags given over the environment, and leaves a setting whose flag was not given', () => {
    const env = { CLAUDE_WORKER_CONCURRENCY: '2', CLAUDE_WORKER_NAME: 'from-env', CLAUDE_WORKER_DB: '/srv/env.db' };
    const config = loadConfig(env, {
      concurrency: 9,
      workerName: undefined,
      dbPath: 'relative/flag.db',
      labels: { gpu: 'true' },
    });
    expect(config).toMatchObject({ concurrency: 9, workerName: 'from-env', labels: { gpu: 'true' } });
    expect(config.dbPath).toBe(resolve('relative/flag.db'));
    expect(env).toEqual({ CLAUDE_WORKER_CONCURRENCY: '2', CLAUDE_WORKER_NAME: 'from-env', CLAUDE_WORKER_DB: '/srv/env.db' });
  });

  it('reads the MCP settings with the others', () => {
    expect(loadConfig({})).toMatchObject({ promptPolicy: 'strict', mcpMode: null });
    expect(loadConfig({ CLAUDE_WORKER_MODE: 'proxy', CLAUDE_WORKER_PROMPT_POLICY: 'lenient' })).toMatchObject({
      promptPolicy: 'lenient',
      mcpMode: 'proxy',
    });
    expect(() => loadConfig({ CLAUDE_WORKER_MODE: 'both' })).toThrow(/CLAUDE_WORKER_MODE/);
  });
});
