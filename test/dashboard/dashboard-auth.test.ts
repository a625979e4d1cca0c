/**
 * The dashboard behind a token, in a real browser: the page asks for the
 * token, refuses a wrong one, shows the board with the right one (its live
 * stream included), and the token never shows up in a URL or the server's log.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWatchedPage } from '../support/browser.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const TOKEN = randomBytes(24).toString('hex');

let browser: Browser;
let cli: CliHome;
let server: ServerProcess;

beforeAll(async () => {
  browser = await launchBrowser();
  cli = await createCliHome(() => ({ CLAUDE_WORKER_TOKEN: TOKEN }));
  server = await startServerProcess(cli.env, { workers: 1 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await cli?.dispose();
});

describe('the dashboard with a token', () => {
  it('sends the board to sign-in, refuses a wrong token, and shows the live board with the right one', async () => {
    const { page, context, problems, errorResponses, urls, screenshot } = await openWatchedPage(browser, server.url);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForSelector('form.sign-in');
      expect(new URL(page.url()).hash).toBe('#/sign-in');
      await screenshot('sign-in');

      await page.fill('#token', `${TOKEN}-wrong`);
      await page.click('form.sign-in button[type="submit"]');
      await page.waitForSelector('form.sign-in .error');
      expect(await page.textContent('form.sign-in .error')).toContain('not the one this server was started with');
      expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

      await page.fill('#token', TOKEN);
      await page.click('form.sign-in button[type="submit"]');
      await page.waitForSelector('.board .queue-state');
      const { task } = await server.client.submit({
        execution_prompt: '[fake:success] Write the output file',
        working_directory: cli.home,
      });
      await page.waitForSelector(`tr[data-task-id="${task.id}"][data-status="completed"]`);

      // A reload keeps the tab's sign-in; the token is only ever in a header.
      await page.reload();
      await page.waitForSelector(`tr[data-task-id="${task.id}"]`);
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((url) => url.includes(TOKEN))).toEqual([]);
      expect(server.output()).not.toContain(TOKEN);
      expect(problems).toEqual([]);
      // What the page asked before signing in, and the wrong token's check: nothing else was refused.
      expect(new Set(errorResponses)).toEqual(new Set(['401 GET /api/v1/board?limit=1000', '401 GET /api/v1/tasks?limit=1']));
    } finally {
      await context.close();
    }
  });
});
