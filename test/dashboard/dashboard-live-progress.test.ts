/**
 * The board shows what a running task is doing as it does it: the REAL
 * Claude Code binary, against the loopback API stand-in, runs two scripted
 * tool uses, and the stand-in holds the model's next answer after each, so
 * the task is still running when the test looks at its row.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWatchedPage } from '../support/browser.js';
import { startRealClaudeServer, type RealClaudeServer } from '../support/real-claude-server.js';

let browser: Browser;
let fixture: RealClaudeServer;

beforeAll(async () => {
  browser = await launchBrowser();
  // The model answers one request (the first tool use), then waits for answerMore().
  fixture = await startRealClaudeServer('cw-dash-progress-', 1, { answerOnly: 1 });
});

afterAll(async () => {
  await browser?.close();
  await fixture?.dispose();
});

describe('the board', () => {
  it("updates a running task's last action live, without a reload", async () => {
    const { server, api, home } = fixture;
    const { page, context, problems, errorResponses, screenshot } = await openWatchedPage(browser, server.url);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForSelector('.board .queue-state');
      // A marker in the page's window survives only if the page is never reloaded.
      await page.evaluate('window.notReloaded = true');
      const { task } = await server.client.submit({
        execution_prompt: '[bash:echo first-step][bash:echo second-step] Run the two steps',
        working_directory: home,
        isolation: 'none',
      });
      const running = `tr[data-task-id="${task.id}"][data-status="running"]`;
      const lastAction = `${running} .last-action`;

      await page.waitForSelector(`${lastAction}:has-text("echo first-step")`);
      // The second tool use comes with the model's next answer; the one after it is held again.
      api.answerMore(1);
      await page.waitForSelector(`${lastAction}:has-text("echo second-step")`);
      expect(await page.textContent(lastAction)).toBe('[Bash] echo second-step');
      expect(await server.client.get(task.id)).toMatchObject({ status: 'running', last_action_cache: '[Bash] echo second-step' });
      await screenshot('board-live-progress');

      api.answerMore(1);
      await page.waitForSelector(`tr[data-task-id="${task.id}"][data-status="completed"]`);
      expect(await page.evaluate('window.notReloaded')).toBe(true);
      expect(problems).toEqual([]);
      expect(errorResponses).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
