/**
 * The queue's pause on the board and the workers page, live: the daily
 * budget pauses the queue once a task's cost reaches it, and `resume`
 * lifts the pause; both pages follow through the event stream, without a
 * reload.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWatchedPage } from '../support/browser.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

let browser: Browser;
let cli: CliHome;
let server: ServerProcess;

beforeAll(async () => {
  browser = await launchBrowser();
  // The fake agent reports a cost of $0.0123: one task reaches this cap.
  cli = await createCliHome(() => ({ CLAUDE_WORKER_DAILY_BUDGET_USD: '0.01' }));
  server = await startServerProcess(cli.env, { workers: 1 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await cli?.dispose();
});

describe('the queue pause', () => {
  it('shows on the board when the daily budget pauses the queue, and leaves the workers page when it is lifted', async () => {
    const { page, context, problems, errorResponses, screenshot } = await openWatchedPage(browser, server.url);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForSelector('.board .queue-state');
      expect(await page.$('.queue-pause')).toBeNull();

      const { task } = await server.client.submit({
        execution_prompt: '[fake:success] Spend the day’s budget',
        working_directory: cli.home,
      });
      await page.waitForSelector(`tr[data-task-id="${task.id}"][data-status="completed"]`);
      await page.waitForSelector('.board .queue-pause');
      const note = await page.textContent('.board .queue-pause');
      expect(note).toMatch(/^Queue paused until (\d{4}-\d\d-\d\d )?\d\d:\d\d \(in [^)]+\): daily budget of \$0\.01 reached/);
      await screenshot('queue-paused');

      await page.click('nav a[href="#/workers"]');
      await page.waitForSelector('table.workers tbody tr');
      expect(await page.textContent('.queue-pause')).toContain('daily budget of $0.01 reached');
      await server.client.resumeQueue();
      await page.waitForSelector('.queue-pause', { state: 'detached' });

      await page.click('nav a[href="#/"]');
      await page.waitForSelector(`tr[data-task-id="${task.id}"]`);
      expect(await page.$('.queue-pause')).toBeNull();
      expect(problems).toEqual([]);
      expect(errorResponses).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
