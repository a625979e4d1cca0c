/**
 * The floor of a queue on one SQLite file: a minimal enqueue, claim and
 * complete loop straight on better-sqlite3, with the file settings of
 * claude-worker's SQLite store (openDatabase: WAL, synchronous=FULL,
 * foreign keys, busy timeout) and in the shape a real queue must have: up
 * to `concurrency` jobs claimed in one transaction, each under a lease token
 * of its own, then each completed, fenced by its token, in a transaction of
 * its own. No events, no attempt rows, no logs, no process around it.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/store/sqlite/open.js';

const SCHEMA = `
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    lease_token TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at INTEGER NOT NULL
  );
  CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE status = 'pending'`;

const ENQUEUE = `INSERT INTO jobs (payload, run_at) VALUES (?, ?)`;

const CLAIM_ONE = `
  UPDATE jobs SET status = 'running', lease_token = @token, attempts = attempts + 1
   WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= @now ORDER BY run_at, id LIMIT 1)
  RETURNING id`;

const COMPLETE = `UPDATE jobs SET status = 'completed', lease_token = NULL WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** Works off `jobs` queued jobs, `concurrency` at a time; returns jobs per second (enqueueing not counted). */
export function rawSqliteQueue(path: string, jobs: number, concurrency: number): number {
  const db = openDatabase(path);
  try {
    db.exec(SCHEMA);
    const enqueue = db.prepare(ENQUEUE);
    for (let i = 0; i < jobs; i++) enqueue.run(JSON.stringify({ i }), Date.now());
    const claimOne = db.prepare(CLAIM_ONE);
    const complete = db.prepare(COMPLETE);
    const claim = db.transaction((now: number) => {
      const claimed: { id: number; token: string }[] = [];
      while (claimed.length < concurrency) {
        const token = randomUUID();
        const row = claimOne.get({ token, now }) as { id: number } | undefined;
        if (!row) break;
        claimed.push({ id: row.id, token });
      }
      return claimed;
    });
    const completeOne = db.transaction((job: { id: number; token: string }) => {
      if (complete.run(job).changes !== 1) throw new Error(`job ${job.id} was not owned by its lease`);
    });
    const started = performance.now();
    let done = 0;
    while (done < jobs) {
      const claimed = claim.immediate(Date.now());
      if (claimed.length === 0) throw new Error(`${jobs - done} jobs were not claimed`);
      for (const job of claimed) completeOne.immediate(job);
      done += claimed.length;
    }
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
