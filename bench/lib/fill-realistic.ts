/**
 * A SQLite task database filled with many ended tasks that look like real
 * ones, for the scale scenario. Like fillDatabase, one task is made through the store, so its
 * row has every column the migrations gave it; the others are copied from it
 * in SQL, with the columns that differ between real tasks varied per row:
 * status, prompt and summary lengths, project directory, required labels,
 * times spread over the past weeks, cost and turns. Each also gets what a
 * real run leaves behind: an attempt row, its summary log lines and its three
 * events (submitted by the store's own trigger, then running and ended).
 */
import Database from 'better-sqlite3';
import { makeTemplateTask } from './fill-database.js';

const DAY_MS = 24 * 3600_000;
/**
 * The tasks end within the last 25 days: younger than the default retention
 * (30 days), so a server opening the file keeps them all, and about 40,000 a
 * day at a million tasks.
 */
const SPREAD_MS = 25 * DAY_MS;
const PROJECTS = 20;

/** Instructions of the kind people delegate; each prompt is a slice of it, 100 to 1,100 characters. */
const PROSE =
  'Add tests for the parser in ./src/config/parse.ts: cover empty files, comments at the end of a line, ' +
  'quoted keys with escapes, and the error message when a section repeats. Keep the existing style of the ' +
  'test files (vitest, one describe per function, no snapshots). Then run the whole suite and fix what breaks, ' +
  'but do not change the public API of the parser; if a fix needs that, stop and describe it in the summary ' +
  'instead. Refactor the retry loop in ./src/http/client.ts so that it honours Retry-After, caps the total wait ' +
  'at 30 seconds, and logs each retry once at debug level. Update the README section on configuration to match, ' +
  'with one example per option, and make sure the changelog has an entry under Unreleased. Look at the flaky ' +
  'test in test/integration/queue.test.ts: it fails about one run in twenty on CI. Find out why (timing, ' +
  'shared state, port reuse), fix the cause rather than adding a retry, and explain the cause in the commit ' +
  'message. Finally, check that the build, the linter and the type checker all pass before you finish.';

const SUMMARY =
  'Added 14 tests covering empty files, trailing comments, escaped quoted keys and repeated sections; all pass. ' +
  'The retry loop now reads Retry-After (seconds or an HTTP date), stops after 30 s in total and logs each retry ' +
  'at debug level. README and CHANGELOG updated. The flaky queue test shared a temporary directory between two ' +
  'cases that ran in parallel; each now makes its own, and 200 runs in a row passed. Build, lint and typecheck pass.';

/** `count` ended tasks: about 88% completed, 8% failed, 4% cancelled, newest with the highest ids. */
export async function fillWithRealisticTasks(path: string, dir: string, count: number): Promise<void> {
  await makeTemplateTask(path, { prompt: PROSE.slice(0, 400), dir: `${dir}/project-0`, summary: SUMMARY });
  const db = new Database(path);
  try {
    // A fixture, not data anyone keeps: no journal and no fsync while it is written,
    // so the million rows are written once instead of once to the WAL and again to the file.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144'); // 256 MiB: the indexes being built stay in memory
    const now = Date.now();
    const params = {
      count,
      first: now - SPREAD_MS,
      step: SPREAD_MS / count,
      dir,
      prose: PROSE,
      summary: SUMMARY,
    };
    db.transaction(() => {
      db.prepare(copiedTasks(db)).run(params);
      db.prepare(ATTEMPTS).run();
      db.prepare(LOG_LINES).run();
      db.prepare(EVENTS).run();
      db.prepare(FAN_OUT_DONE).run();
    })();
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

const DURATION = `(5000 + (n * 7919) % 600000)`;
/** A random v4-shaped UUID: the width of the session ids and lease tokens real runs store. */
const UUID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/**
 * Each row's value of the columns real tasks differ in, as SQL over `n` (the
 * new task's id); every other column is copied from task 1. Multiplying by
 * primes spreads the values so that lengths, projects and labels do not move
 * in step with the status.
 */
const VARIED: Record<string, string> = {
  status: `CASE WHEN n % 25 = 0 THEN 'cancelled' WHEN n % 12 = 0 THEN 'failed' ELSE 'completed' END`,
  execution_prompt: `substr(@prose, 1 + (n * 31) % 200, 100 + (n * 7919) % 1000)`,
  working_directory: `@dir || '/project-' || ((n * 13) % ${PROJECTS})`,
  required_labels: `CASE (n * 7) % 10 WHEN 0 THEN '{"gpu":"true"}' WHEN 1 THEN '{"repo":"api"}' WHEN 2 THEN '{"repo":"web"}' ELSE '{}' END`,
  created_at: `CAST(@first + n * @step AS INTEGER)`,
  run_at: `CAST(@first + n * @step AS INTEGER)`,
  started_at: `CAST(@first + n * @step AS INTEGER) + 40`,
  ended_at: `CAST(@first + n * @step AS INTEGER) + 40 + ${DURATION}`,
  duration_ms: DURATION,
  attempts: '1',
  final_summary: `CASE WHEN n % 25 = 0 OR n % 12 = 0 THEN NULL ELSE substr(@summary, 1, 80 + (n * 104729) % 400) END`,
  error_code: `CASE WHEN n % 25 = 0 THEN NULL WHEN n % 12 = 0 THEN CASE n % 3 WHEN 0 THEN 'timeout' WHEN 1 THEN 'agent_error' ELSE 'max_turns' END END`,
  error_message: `CASE WHEN n % 25 = 0 THEN NULL WHEN n % 12 = 0 THEN 'The agent reported an error: the test suite still fails after three attempts to fix test/integration/queue.test.ts' END`,
  cost_usd: `((n * 7919) % 300) / 100.0`,
  num_turns: `1 + (n * 7) % 40`,
  usage: `json_object('input_tokens', (n * 31) % 9000, 'output_tokens', (n * 17) % 4000, 'cache_creation_input_tokens', (n * 13) % 20000, 'cache_read_input_tokens', (n * 11) % 200000)`,
  session_id: UUID,
  last_action_cache: `'[Bash] npm test -- test/config/parse.test.ts'`,
  api_key_source: `'ANTHROPIC_API_KEY'`,
};

function copiedTasks(db: Database.Database): string {
  const columns = (db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[])
    .map((column) => column.name)
    .filter((name) => name !== 'id');
  const values = columns.map((name) => VARIED[name] ?? name);
  // Ids follow n (task 1 is the template), so "newest" is both the highest id and the latest time.
  return `
    WITH RECURSIVE n(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM n WHERE n < @count)
    INSERT INTO tasks (id, ${columns.join(', ')})
    SELECT n, ${values.join(', ')} FROM tasks, n WHERE tasks.id = 1`;
}

const ATTEMPTS = `
  INSERT INTO task_attempts (task_id, attempt, lease_token, worker_id, host, boot_id, worker_pid, worker_start_time,
                             agent_pid, agent_pgid, agent_start_time, started_at, ended_at, outcome)
  SELECT id, 1, ${UUID}, 'build-01:' || (20000 + id % 7) || ':5f4caeea', 'build-01', 'bef02de4-a202-457a-8cb6-0f584fbbe06f',
         20000 + id % 7, '4034438', 30000 + id % 30000, 30000 + id % 30000, '4034504', started_at, ended_at, status
    FROM tasks WHERE id > 1`;

/**
 * The summary log of a run: its start, the model, one line per tool call
 * (a few per turn), the agent's last words and its end; 6 to 17 lines.
 */
const LOG_LINES = `
  WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 16)
  INSERT INTO task_log_lines (task_id, at_ms, line)
  SELECT id, started_at + k * 1000,
         CASE
           WHEN k = 0 THEN '=== attempt 1 of 3 started by build-01:20001:5f4caeea in ' || working_directory
           WHEN k = 1 THEN '[init] model=claude-sonnet-4-5, permission=acceptEdits, credentials=ANTHROPIC_API_KEY'
           WHEN k = 4 + id % 12 THEN '[assistant] ' || coalesce(substr(final_summary, 1, 200), error_message, 'Stopping.')
           WHEN k = 5 + id % 12 THEN '=== ' || status
           WHEN k % 3 = 0 THEN '[Read] src/config/parse-' || k || '.ts'
           WHEN k % 3 = 1 THEN '[Edit] test/config/parse-' || k || '.test.ts'
           ELSE '[Bash] npm test -- test/config/parse-' || k || '.test.ts'
         END
    FROM tasks CROSS JOIN k -- tasks outermost: rows come in id order, so the index grows at its end
   WHERE id > 1 AND k <= 5 + id % 12`;

/** task.submitted came from the insert trigger; the run's start and end follow. */
const EVENTS = `
  WITH e(e) AS (VALUES (0), (1))
  INSERT INTO events (at, type, task_id)
  SELECT CASE e WHEN 0 THEN started_at ELSE ended_at END, CASE e WHEN 0 THEN 'task.running' ELSE 'task.' || status END, id
    FROM tasks CROSS JOIN e
   WHERE id > 1`;

/** No webhook was configured while these tasks ran: the fan-out has passed every event. */
const FAN_OUT_DONE = `INSERT OR REPLACE INTO webhook_fan_out (id, last_event_id) SELECT 1, max(id) FROM events`;
