/**
 * A real browser for the dashboard's tests: Debian's chromium driven by
 * playwright-core (Playwright's own browser download cannot be reached, so
 * the package is installed with apt-get when it is missing). Each page is
 * watched for what a user would call broken: console errors, uncaught
 * exceptions, failed requests and requests to any other origin.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Screenshots land here, with the test results (the directory is ignored by git). */
export const SCREENSHOT_DIR = new URL('../../test-results/dashboard/', import.meta.url).pathname;

function commandPath(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The chromium executable, installed with apt-get first when it is missing. */
export function chromiumExecutable(): string {
  const present = commandPath('chromium');
  if (present) return present;
  if (!commandPath('apt-get')) throw new Error('The dashboard tests need chromium: install it (apt-get install chromium).');
  // A fresh container has no package lists yet.
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
  const installed = commandPath('chromium');
  if (!installed) throw new Error('apt-get install chromium did not put chromium on PATH.');
  return installed;
}

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors, network failures and other-origin requests seen so far. */
  problems: string[];
  /** `STATUS METHOD path` of every answer of 400 or more, for a test to compare with the ones it caused. */
  errorResponses: string[];
  /** Every URL the page requested or navigated to. */
  urls: string[];
  screenshot(name: string): Promise<void>;
}

export async function openWatchedPage(
  browser: Browser,
  origin: string,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const watched: WatchedPage = {
    page,
    context,
    problems: [],
    errorResponses: [],
    urls: [],
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
  };
  page.on('console', (message) => {
    // Chromium also logs each 4xx/5xx answer as a console error; those are in errorResponses, judged there.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded'))
      watched.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    watched.urls.push(request.url());
    if (new URL(request.url()).origin !== origin) watched.problems.push(`request to another origin: ${request.url()}`);
  });
  page.on('framenavigated', (frame) => watched.urls.push(frame.url()));
  page.on('requestfailed', (request) => {
    // The page ends its own event streams when it leaves a view; that is not a failure.
    const ownStreamClosed =
      request.failure()?.errorText === 'net::ERR_ABORTED' && /\/(logs\?follow=1|events)$/.test(request.url());
    if (!ownStreamClosed) watched.problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      const url = new URL(response.url());
      watched.errorResponses.push(`${response.status()} ${response.request().method()} ${url.pathname}${url.search}`);
    }
  });
  return watched;
}
