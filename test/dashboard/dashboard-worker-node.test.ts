/**
 * A board on an API-only server follows tasks that a `worker` node (another
 * process, whose store signals never reach the server) runs: pending, then
 * running, then completed, without a reload.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWatchedPage } from '../support/browser.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let browser: Browser;
let cli: CliHome;
let server: ServerProcess;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
  cli = await createCliHome((home) => ({ FAKE_CLAUDE_RESULT_GATE: join(home, 'result-gate') }));
  server = await startServerProcess(cli.env, { args: ['--no-worker'] });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.stop();
  await cli?.dispose();
});

describe('the board on an API-only server', () => {
  it('follows a task that a worker node runs, from pending to running to completed', async () => {
    const { page, context, problems, errorResponses } = await openWatchedPage(browser, server.url);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForSelector('.board .queue-state');
      const { task } = await server.client.submit({
        execution_prompt: '[fake:success] Write the output file',
        working_directory: cli.home,
      });
      const row = `tr[data-task-id="${task.id}"]`;
      await page.waitForSelector(`${row}[data-status="pending"]`);

      worker = await startWorkerProcess({ db: join(cli.home, 'tasks.db'), name: 'node-a', env: cli.env, workers: 1 });
      await page.waitForSelector(`${row}[data-status="running"]`);
      await writeFile(join(cli.home, 'result-gate'), '');
      await page.waitForSelector(`${row}[data-status="completed"]`);
      expect(problems).toEqual([]);
      expect(errorResponses).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
