import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../src/core/task.js';
import { TaskLogs } from '../../src/logs/task-logs.js';
import { RetentionSweeper, retentionPolicy } from '../../src/service/retention.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { claimTask, enqueueTask } from '../store/contract/fixture.js';

const DAY_MS = 24 * 3600 * 1000;

describe('retention', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('turns the configured days into a policy; 0 keeps a kind for ever, and both 0 turns retention off', () => {
    expect(retentionPolicy({ retentionDays: 30, failedRetentionDays: 90 })).toEqual({
      finishedMaxAgeMs: 30 * DAY_MS,
      failedMaxAgeMs: 90 * DAY_MS,
    });
    expect(retentionPolicy({ retentionDays: 0, failedRetentionDays: 90 })!.finishedMaxAgeMs).toBeGreaterThan(36_000 * DAY_MS);
    expect(retentionPolicy({ retentionDays: 0, failedRetentionDays: 0 })).toBeNull();
  });

  it('deletes the tasks that ended before the cut-off and the log files not written since, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-worker-retention-'));
    dirs.push(dir);
    let now = Date.now();
    const store = await openSqliteStore(join(dir, 'tasks.db'), { clock: () => now });
    const logs = new TaskLogs(join(dir, 'logs'), store);
    await enqueueTask(store);
    const old = await claimTask(store);
    await store.complete(old.lease, { final_summary: 'done', ...emptyRunStats() });
    now += 31 * DAY_MS;
    await enqueueTask(store);
    const recent = await claimTask(store);
    await store.complete(recent.lease, { final_summary: 'done', ...emptyRunStats() });
    const pending = await enqueueTask(store);

    const writer = logs.openWriter(recent.task.id);
    writer.line('kept');
    await writer.close();
    const oldFile = join(logs.dir, `task-${old.task.id}.log`);
    const unrelated = join(logs.dir, 'notes.txt');
    for (const file of [oldFile, unrelated]) {
      writeFileSync(file, 'x');
      utimesSync(file, new Date(Date.now() - 100 * DAY_MS), new Date(Date.now() - 100 * DAY_MS));
    }

    const warnings: string[] = [];
    const policy = retentionPolicy({ retentionDays: 30, failedRetentionDays: 90 })!;
    // Files outlive the longest kept kind (failed: 90 days); this one is 100 days old.
    await new RetentionSweeper(store, logs, policy, (message) => warnings.push(message)).sweep();

    expect(await store.get(old.task.id)).toBeNull();
    expect((await store.get(recent.task.id))?.status).toBe('completed');
    expect((await store.get(pending))?.status).toBe('pending');
    expect(existsSync(oldFile)).toBe(false);
    expect(existsSync(logs.summaryPath(recent.task.id))).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
    expect(warnings).toEqual([]);
    await store.close();
  });

  it('says so and carries on when the store cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-worker-retention-'));
    dirs.push(dir);
    const store = await openSqliteStore(join(dir, 'tasks.db'));
    const logs = new TaskLogs(join(dir, 'logs'), store);
    await store.close();
    const warnings: string[] = [];
    await new RetentionSweeper(store, logs, { finishedMaxAgeMs: DAY_MS, failedMaxAgeMs: DAY_MS }, (m) =>
      warnings.push(m),
    ).sweep();
    expect(warnings).toEqual([expect.stringContaining('retention: could not delete old tasks')]);
  });
});
