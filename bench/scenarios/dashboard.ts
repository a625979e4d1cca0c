/**
 * 8. Dashboard: how long the board takes to show 1,000 tasks in a real
 * browser on loopback, and how much JavaScript the page loads, gzipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../../test/support/browser.js';
import { startServerProcess } from '../../test/support/server-process.js';
import { createBenchHome } from '../lib/environment.js';
import { fillDatabase } from '../lib/fill-database.js';
import type { Figure } from '../lib/report.js';
import { summarize } from '../lib/stats.js';

const SCENARIO = '8. Dashboard';
const TASKS = 1000;
const TARGET_MS = 300;
const TARGET_KB = 150;
const BUNDLE_DIR = new URL('../../dist/dashboard/', import.meta.url);

export async function dashboardFigures(runs: number): Promise<Figure[]> {
  return [...(await boardRender(runs)), bundleSize()];
}

/**
 * Navigation start → the board's first render with its 1,000 tasks read
 * (counts of all of them, the first 40 rows, more than a screenful: the
 * page marks `board-rendered`), and → every row in the page
 * (`board-complete`; rows are added 100 per frame). Each run in a fresh
 * browser context, so nothing is cached.
 */
async function boardRender(runs: number): Promise<Figure[]> {
  const home = createBenchHome(1000);
  const browser = await launchBrowser();
  try {
    await fillDatabase(join(home.env.CLAUDE_WORKER_HOME!, 'tasks.db'), home.dir, TASKS);
    const server = await startServerProcess(home.env, { workers: 1 });
    try {
      const first: number[] = [];
      const complete: number[] = [];
      // The first load warms the server's compiled statements and the browser's process.
      for (let run = 0; run <= runs; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await page.waitForSelector(`tbody tr:nth-child(${TASKS})`);
        const [rendered, all] = await page.evaluate<[number, number]>(
          "['board-rendered', 'board-complete'].map((name) => performance.getEntriesByName(name)[0].startTime)",
        );
        if (run > 0) {
          first.push(rendered);
          complete.push(all);
        }
        await context.close();
      }
      const ours = summarize(first);
      return [
        {
          scenario: SCENARIO,
          name: `The board's first render with ${TASKS.toLocaleString('en')} tasks (navigation → counts and first rows on screen)`,
          unit: 'ms',
          better: 'lower',
          ours,
          alternatives: [],
          target: { text: `median < ${TARGET_MS} ms`, met: ours.median < TARGET_MS },
        },
        {
          scenario: SCENARIO,
          name: `… and all ${TASKS.toLocaleString('en')} rows in the page`,
          unit: 'ms',
          better: 'lower',
          ours: summarize(complete),
          alternatives: [],
        },
      ];
    } finally {
      await server.stop();
    }
  } finally {
    await browser.close();
    home.remove();
  }
}

/** Every module of the bundle (app.js and the chunks pages load when first shown), each gzipped. */
function bundleSize(): Figure {
  const modules = readdirSync(BUNDLE_DIR).filter((name) => name.endsWith('.js'));
  const kb =
    modules.reduce((sum, name) => sum + gzipSync(readFileSync(new URL(name, BUNDLE_DIR)), { level: 9 }).length, 0) / 1024;
  return {
    scenario: SCENARIO,
    name: 'The JavaScript bundle, every module gzipped (Preact, htm, marked, DOMPurify, yaml and the pages)',
    unit: 'KB',
    better: 'lower',
    ours: summarize([kb]),
    alternatives: [],
    target: { text: `< ${TARGET_KB} KB`, met: kb < TARGET_KB },
  };
}
