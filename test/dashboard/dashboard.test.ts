/**
 * The dashboard in a real browser (Debian's chromium through playwright-core)
 * against the real server as a subprocess, with the fake Claude Code
 * executable for agents whose timing the tests decide. Every page is watched
 * for console errors, failed requests and requests to other origins, and
 * saved as a screenshot with the test results.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOrchestrationInput } from '../../src/core/orchestration-schemas.js';
import type { Task } from '../../src/core/task.js';
import { launchBrowser, openWatchedPage, type WatchedPage } from '../support/browser.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { gitIn, makeRepository } from '../support/git-repo.js';
import { startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';

const DIAMOND = new URL('../../examples/orchestrations/diamond.json', import.meta.url);
const README_SCREENSHOT = new URL('../../docs/dashboard.png', import.meta.url).pathname;

let browser: Browser;
let cli: CliHome;
let server: ServerProcess;
/** `success` agents report their result only once this file exists. */
let resultGate: string;
let watched: WatchedPage | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
  cli = await createCliHome((home) => ({ FAKE_CLAUDE_RESULT_GATE: join(home, 'result-gate') }));
  resultGate = join(cli.home, 'result-gate');
  // One slot: a second task stays pending while the first runs.
  server = await startServerProcess(cli.env, { workers: 1 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await cli?.dispose();
});

afterEach(async () => {
  await watched?.context.close();
  watched = null;
});

async function open(hash: string, options: Parameters<typeof openWatchedPage>[2] = {}): Promise<WatchedPage> {
  watched = await openWatchedPage(browser, server.url, options);
  await watched.page.goto(`${server.url}/${hash}`);
  return watched;
}

async function submit(prompt: string, directory = cli.home): Promise<Task> {
  return (await server.client.submit({ execution_prompt: prompt, working_directory: directory })).task;
}

function row(id: number, status?: string): string {
  return `tr[data-task-id="${id}"]${status ? `[data-status="${status}"]` : ''}`;
}

async function runningInCli(): Promise<number> {
  const listed = await cli.run(['list', '--status', 'running', '--json'], { env: { CLAUDE_WORKER_SERVER_URL: server.url } });
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { tasks: Task[] }).tasks.length;
}

describe('the board', () => {
  it('shows a task submitted through the API and follows it from pending to running to completed without a reload', async () => {
    const { page, problems, errorResponses, screenshot } = await open('#/');
    await page.waitForSelector('.board .queue-state');
    // A marker in the page's window survives only if the page is never reloaded.
    // (Page code is given as text: these tests compile without the DOM's types.)
    await page.evaluate('window.notReloaded = true');

    const blocker = await submit('[fake:hang] Hold the only slot');
    await page.waitForSelector(row(blocker.id, 'running'));
    const task = await submit('[fake:success] Write the output file');
    await page.waitForSelector(row(task.id, 'pending'));

    await page.waitForSelector(`button[data-status="running"] .count-value:text-is("1")`);
    expect(await page.textContent('button[data-status="running"] .count-value')).toBe(String(await runningInCli()));
    expect(await page.textContent('[data-testid="running"]')).toBe('1');
    await screenshot('board');

    await server.client.cancel(blocker.id);
    await page.waitForSelector(row(blocker.id, 'cancelled'));
    await page.waitForSelector(row(task.id, 'running'));
    await writeFile(resultGate, '');
    await page.waitForSelector(row(task.id, 'completed'));
    expect(await page.textContent(`${row(task.id)} .last-action`)).toContain('fake-output.txt');
    expect(await page.evaluate<boolean>('window.notReloaded')).toBe(true);
    expect(await page.textContent('button[data-status="running"] .count-value')).toBe(String(await runningInCli()));
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });

  it('searches whole prompts, past the start a row shows, and counts every task by status', async () => {
    // The result gate is open since the test above: these end at once.
    const hidden = await submit(`[fake:success] Tidy up\n${'Context. '.repeat(40)}then rename the zebra module`);
    const other = await submit('[fake:success] Tidy up the lion module');
    for (const task of [hidden, other]) await taskEnded(server, task.id);
    const { page, problems, errorResponses } = await open('#/');
    await page.waitForSelector(row(other.id, 'completed'));
    const all = await server.client.board({ limit: 1 });
    expect(await page.textContent('button[data-status="completed"] .count-value')).toBe(String(all.counts.completed));

    await page.fill('.search input', 'ZEBRA');
    // At once the rows whose start matches (none), then those the server found in whole prompts.
    await page.waitForSelector(`${row(other.id)}`, { state: 'detached' });
    await page.waitForSelector(row(hidden.id));
    expect(await page.$$eval('tbody tr', (rows) => rows.map((tr) => tr.getAttribute('data-task-id')))).toEqual([
      String(hidden.id),
    ]);
    expect(await page.textContent(`${row(hidden.id)} .prompt`)).toBe('[fake:success] Tidy up');
    await page.fill('.search input', '');
    await page.waitForSelector(row(other.id));
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });

  it('is usable at 375 px in the dark, and by keyboard', async () => {
    const { page, problems, screenshot } = await open('#/', { width: 375, height: 800, colorScheme: 'dark' });
    await page.waitForSelector('tr[data-task-id]');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(21, 24, 29)');
    await screenshot('board-375-dark');

    // Tab through the header and the filters to the newest task's link, and open it with Enter.
    const newest = await page.getAttribute('tbody tr:first-child a', 'href');
    for (let presses = 0; presses < 30; presses++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate<string | null>("document.activeElement?.getAttribute('href')")) === newest) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('.task-page');
    expect(new URL(page.url()).hash).toBe(newest);
    expect(problems).toEqual([]);
  });
});

describe('the task page', () => {
  it('streams the log while the task runs, and its cancel button stops it', async () => {
    const task = await submit('[fake:hang] Think for a long time');
    const { page, problems, errorResponses, screenshot } = await open(`#/tasks/${task.id}`);
    await page.waitForSelector('.log-line:has-text("[init]")');
    expect((await server.client.get(task.id)).status).toBe('running');
    await page.waitForSelector('.log-line:has-text("[assistant]")');
    await screenshot('task-running');

    await page.click('button:has-text("Cancel")');
    expect((await taskEnded(server, task.id)).status).toBe('cancelled');
    await page.waitForSelector('h1 .status-cancelled');
    await page.waitForSelector('.log-line:has-text("cancelled")');
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });

  it('shows the diff of a finished worktree task as files with counts and hunks, the summary as Markdown, and merges it after showing the refusal of a discard as the API gives it', async () => {
    await writeFile(resultGate, '');
    const repo = await makeRepository(join(cli.home, 'repo'));
    const task = await submit('[fake:success] Write the output file', repo);
    const ended = await taskEnded(server, task.id);
    expect(ended.status).toBe('completed');
    const { page, problems, errorResponses, screenshot } = await open(`#/tasks/${task.id}`);
    await page.waitForSelector('.diff-files li');
    expect(await page.textContent('.diff-files')).toMatch(/fake-output\.txt\s*\+1\s*−0/);
    expect(await page.textContent('.hunk .added')).toMatch(/^\+.*Write the output file/);
    expect(await page.textContent('.summary p')).toBe('Done: the file is written.');
    expect(await page.textContent('.actions')).toContain(`claude-worker merge ${task.id}`);
    await screenshot('task-diff');

    // Discard refuses a branch whose work is not merged: the API's error shows, and the branch stays.
    await page.click('.actions button:has-text("Discard")');
    await page.waitForSelector('.actions .error');
    const refusal = await page.textContent('.actions .error');
    expect(refusal).toMatch(/force/);
    expect(gitIn(repo, 'branch', '--list', ended.branch!)).toContain(ended.branch!);
    await page.click('.actions button:has-text("Merge")');
    await page.waitForSelector('.actions .ok');
    expect((await server.client.get(task.id)).merge_commit).not.toBeNull();
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([`409 POST /api/v1/tasks/${task.id}/discard`]);
  });
});

describe('the submit form', () => {
  it("shows each field's error from the API next to the field, all at once, and stores nothing", async () => {
    const before = (await server.client.list({ limit: 500 })).tasks.length;
    const { page, problems, errorResponses, screenshot } = await open('#/submit');
    await page.fill('#task-execution_prompt', 'Fix the bug');
    await page.fill('#task-working_directory', join(cli.home, 'no-such-directory'));
    await page.fill('#task-max_turns', '0');
    await page.click('button:has-text("Submit task")');
    await page.waitForSelector('[data-field="working_directory"] .field-error');
    expect(await page.textContent('[data-field="working_directory"] .field-error')).toMatch(/does not exist/);
    expect(await page.textContent('[data-field="max_turns"] .field-error')).toMatch(/>=1/);
    expect(await page.$$('[data-field="execution_prompt"] .field-error')).toHaveLength(0);
    await screenshot('submit-errors');
    expect((await server.client.list({ limit: 500 })).tasks.length).toBe(before);
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual(['400 POST /api/v1/tasks']);
  });

  it('submits a graph pasted as YAML and opens it', async () => {
    await writeFile(resultGate, '');
    const { page, problems, errorResponses } = await open('#/submit');
    const yaml = [
      'name: pasted',
      'tasks:',
      '  - identifier: only',
      '    execution_prompt: "[fake:success] Write the output file"',
      `    working_directory: ${cli.home}`,
    ].join('\n');
    await page.fill('#graph-text', yaml);
    await page.click('button:has-text("Submit graph")');
    await page.waitForSelector('.orchestration-page .node[data-identifier="only"]');
    expect(await page.textContent('.orchestration-page h1')).toContain('pasted');
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });
});

describe('the orchestration page', () => {
  it('draws the diamond example as 4 nodes and 4 edges with their statuses, live, with its spend of its budget, and a node opens its task', async () => {
    await writeFile(resultGate, '');
    const project = join(cli.home, 'diamond');
    await mkdir(project);
    const example = JSON.parse(await readFile(DIAMOND, 'utf8')) as CreateOrchestrationInput;
    const { orchestration } = await server.client.submitOrchestration({
      ...example,
      budget_usd: 10,
      tasks: example.tasks.map((task) => ({
        ...task,
        execution_prompt: `[fake:success] ${task.execution_prompt}`,
        working_directory: project,
      })),
    });
    const { page, problems, errorResponses, screenshot } = await open(`#/orchestrations/${orchestration.id}`);
    await page.waitForSelector('svg.dag .node');
    expect(await page.$$eval('svg.dag .node', (nodes) => nodes.length)).toBe(4);
    const edges = await page.$$eval('svg.dag .edge', (paths) =>
      paths.map((path) => `${path.getAttribute('data-from')}->${path.getAttribute('data-to')}`).sort(),
    );
    expect(edges).toEqual(['explain->readme', 'explain->tests', 'readme->review', 'tests->review']);
    // The statuses follow the run live, to the end.
    await page.waitForSelector('svg.dag .node[data-identifier="review"][data-status="completed"]');
    const statuses = await page.$$eval('svg.dag .node', (nodes) => nodes.map((node) => node.getAttribute('data-status')));
    expect(statuses).toEqual(['completed', 'completed', 'completed', 'completed']);
    await page.waitForSelector('.orchestration-page h1 .status-completed');
    // Four tasks at the fake agent's $0.0123 each.
    expect(await page.textContent('.orchestration-cost')).toMatch(/^\s*Spent \$0\.0492 of \$10\.00 budget\s*$/);
    await screenshot('orchestration');

    await page.click('svg.dag .node[data-identifier="tests"]');
    const tests = orchestration.tasks.find((task) => task.identifier === 'tests')!;
    await page.waitForSelector(`.task-page h1:has-text("Task #${tests.id}")`);
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });
});

describe('the workers page', () => {
  it("lists the server's runner with its state and capacity", async () => {
    const { page, problems, errorResponses, screenshot } = await open('#/workers');
    await page.waitForSelector('table.workers tbody tr');
    expect(await page.textContent('table.workers tbody tr')).toMatch(/active.*0 of 1/s);
    await screenshot('workers');
    expect(problems).toEqual([]);
    expect(errorResponses).toEqual([]);
  });
});

describe('claude-worker dashboard', () => {
  it("prints the board's URL and opens it with $BROWSER", async () => {
    const opened = join(cli.home, 'opened-url');
    const browserScript = join(cli.home, 'browser.sh');
    await writeFile(browserScript, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(browserScript, 0o755);
    const result = await cli.run(['dashboard'], { env: { CLAUDE_WORKER_SERVER_URL: server.url, BROWSER: browserScript } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${server.url}/\n`);
    const url = await waitForFile(opened);
    expect(url).toBe(`${server.url}/`);
  });
});

describe('the README screenshot', () => {
  it('is the board with the tasks above', async () => {
    const { page, problems } = await open('#/', { width: 1100, height: 520 });
    await page.waitForSelector('tr[data-task-id]');
    await mkdir(join(README_SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: README_SCREENSHOT });
    expect(problems).toEqual([]);
  });
});

async function waitForFile(path: string): Promise<string> {
  const { waitFor } = await import('../support/wait.js');
  return waitFor(() => readFile(path, 'utf8').catch(() => null), { what: `${path} to be written` });
}
