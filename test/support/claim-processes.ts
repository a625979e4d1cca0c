/**
 * Runs several claimer processes (test/fixtures/claim-loop.mjs, which loads
 * the built store from dist/) against one database file and collects what
 * each one claimed. Every phase (create and fill the file, then claim) starts
 * in all processes at once, so they really race.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const CLAIM_LOOP = new URL('../fixtures/claim-loop.mjs', import.meta.url).pathname;

export interface ClaimerReport {
  worker: string;
  claimed: number[];
}

export async function runClaimProcesses(options: {
  dbPath: string;
  processes: number;
  tasksPerProcess: number;
  home: string;
}): Promise<ClaimerReport[]> {
  const claimers = Array.from({ length: options.processes }, (_, i) =>
    startClaimer(
      spawn(process.execPath, [CLAIM_LOOP, options.dbPath, `claimer-${i + 1}`, String(options.tasksPerProcess)], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, HOME: options.home },
      }),
    ),
  );
  try {
    for (const phase of ['ready', 'enqueued']) {
      await Promise.all(claimers.map((claimer) => claimer.line(phase)));
      for (const claimer of claimers) claimer.child.stdin.write('go\n');
    }
    return await Promise.all(claimers.map((claimer) => claimer.report()));
  } finally {
    for (const { child } of claimers) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** Listens from the start, so no line and not the exit can be missed. */
function startClaimer(child: Child) {
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: (() => void)[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = once(child, 'close').then(([code]) => code as number | null);
  const failure = (code: number | null) => new Error(`claimer exited with ${code}: ${stderr.join('')}`);

  return {
    child,
    /** Resolves once the claimer printed `expected`; rejects if it exits first. */
    async line(expected: string): Promise<void> {
      while (!lines.includes(expected)) {
        const printed = new Promise<void>((resolve) => waiters.push(resolve));
        const exited = closed.then((code) => Promise.reject(failure(code)));
        await Promise.race([printed, exited]);
      }
    },
    async report(): Promise<ClaimerReport> {
      const code = await closed;
      if (code !== 0) throw failure(code);
      return JSON.parse(lines.at(-1)!) as ClaimerReport;
    },
  };
}
