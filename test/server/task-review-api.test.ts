import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { buildApp } from '../../src/server/app.js';
import { gitIn } from '../support/git-repo.js';
import { createReviewFixture, type ReviewFixture } from '../support/review-fixture.js';

let fx: ReviewFixture;
let app: FastifyInstance;

beforeEach(async () => {
  fx = await createReviewFixture();
  app = buildApp(fx.service, {
    token: null,
    allowedHosts: [],
    version: '0.0.0-test',
    mcp: { policy: 'strict', cwd: process.cwd() },
  });
});

afterEach(async () => {
  await app.close();
  await fx.close();
});

describe('the review routes', () => {
  it('serve the diff as text and its stat as JSON, merge the first task and refuse the conflicting second with 409', async () => {
    const [first, second] = await fx.twoTasksWritingOneFile();
    const diff = await app.inject({ method: 'GET', url: `/api/v1/tasks/${first}/diff` });
    expect(diff.statusCode).toBe(200);
    expect(diff.headers['content-type']).toMatch(/^text\/plain/);
    expect(diff.headers['x-diff-truncated']).toBe('false');
    expect(diff.body).toContain('+written by fake claude for: [fake:success] First version');

    const cut = await app.inject({ method: 'GET', url: `/api/v1/tasks/${first}/diff?max_bytes=40` });
    expect(cut.headers['x-diff-truncated']).toBe('true');
    expect(cut.body).toMatch(/\[diff cut: \d+ of \d+ bytes shown\]\n$/);

    const stat = await app.inject({ method: 'GET', url: `/api/v1/tasks/${second}/diff?stat=1` });
    expect(stat.json()).toEqual({ files: [{ path: 'shared.txt', insertions: 1, deletions: 0 }], insertions: 1, deletions: 0 });

    const merged = await app.inject({ method: 'POST', url: `/api/v1/tasks/${first}/merge`, payload: {} });
    expect(merged.statusCode).toBe(200);
    const head = (await fx.service.get(first)).head_commit;
    expect(merged.json()).toMatchObject({ merge_commit: head, fast_forward: true, into: 'main', task: { merge_commit: head } });

    const before = gitIn(fx.repo, 'rev-parse', 'HEAD');
    const conflict = await app.inject({ method: 'POST', url: `/api/v1/tasks/${second}/merge`, payload: { squash: true } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/conflicts in shared\.txt/) },
    });
    expect(gitIn(fx.repo, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('refuse a dirty checkout, unmerged discards without force, a task in place and unknown fields', async () => {
    const id = await fx.submit('[fake:success] Reviewed over HTTP');
    const inPlace = await fx.submit('[fake:success] In place', { isolation: 'none' });
    await fx.ended(id);
    await fx.ended(inPlace);

    await writeFile(join(fx.repo, 'shared.txt'), 'mine\n');
    const dirty = await app.inject({ method: 'POST', url: `/api/v1/tasks/${id}/merge` });
    expect(dirty.statusCode).toBe(409);
    expect(dirty.json().error.message).toMatch(/uncommitted changes in files the merge changes: shared\.txt/);

    const unmerged = await app.inject({ method: 'POST', url: `/api/v1/tasks/${id}/discard`, payload: {} });
    expect(unmerged.statusCode).toBe(409);
    expect(unmerged.json().error.message).toMatch(/changing shared\.txt\), so nothing was removed/);
    const forced = await app.inject({ method: 'POST', url: `/api/v1/tasks/${id}/discard`, payload: { force: true } });
    expect(forced.json()).toMatchObject({ removed_worktree: true, deleted_branch: true, task: { id } });

    const ranInPlace = await app.inject({ method: 'GET', url: `/api/v1/tasks/${inPlace}/diff` });
    expect(ranInPlace.statusCode).toBe(409);
    expect(ranInPlace.json().error.message).toBe(
      `Task ${inPlace} ran in place (isolation none): its changes are in ${fx.repo}, see git diff there.`,
    );
    const badField = await app.inject({ method: 'POST', url: `/api/v1/tasks/${id}/merge`, payload: { into: 'main', ff: true } });
    expect(badField.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/tasks/999/diff' })).statusCode).toBe(404);
  });

  it('are what the HTTP client calls', async () => {
    const id = await fx.submit('[fake:success] Through the client');
    await fx.ended(id);
    const client = new ClaudeWorkerClient({ baseUrl: await app.listen({ host: '127.0.0.1', port: 0 }), token: null });
    const task = await fx.service.get(id);
    expect(await client.diff(id, { maxBytes: 40 })).toMatchObject({ truncated: true, total_bytes: expect.any(Number) });
    expect((await client.diffStat(id)).files.map((file) => file.path)).toEqual(['shared.txt']);
    expect(await client.worktree(id)).toEqual({ path: task.worktree_path });
    await expect(client.discard(id)).rejects.toMatchObject({ code: 'conflict', httpStatus: 409 });
    expect(await client.merge(id)).toMatchObject({ fast_forward: true, merge_commit: task.head_commit });
    expect(await client.discard(id)).toMatchObject({ removed_worktree: true, deleted_branch: true });
    await expect(client.worktree(id)).rejects.toThrow(/no longer has its worktree/);
  });
});
