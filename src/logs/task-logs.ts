/**
 * The logs of each task:
 *   in the store     the readable summary, one timestamped line per tool use
 *                    or message; what the API, CLI and MCP serve, from any
 *                    server sharing the database
 *   task-<id>.log    the same summary as a file on the node that ran the task
 *   task-<id>.jsonl  every raw protocol message, one JSON object per line
 *                    (on that node only: it is large and for debugging)
 * Each attempt appends after a header line, through one append-only writer
 * per file (separate handles on one file clobber lines).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, TaskStore } from '../store/task-store.js';
import { StoredLogs } from './stored-log.js';

/** The files openWriter creates. */
const TASK_LOG_FILE = /^task-\d+\.(log|jsonl)$/;

/** How many lines a follower reads per query. */
const READ_BATCH = 1000;

export class TaskLogs {
  private readonly stored: StoredLogs;

  constructor(
    readonly dir: string,
    private readonly store: TaskStore,
  ) {
    this.stored = new StoredLogs(store);
  }

  summaryPath(taskId: number): string {
    return summaryLogPath(this.dir, taskId);
  }

  eventsPath(taskId: number): string {
    return join(this.dir, `task-${taskId}.jsonl`);
  }

  /** Opens the logs of a task for appending. */
  openWriter(taskId: number): TaskLogWriter {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch {
      // A full disk, say: the files fail at their first write, and the writer notes it in the store.
    }
    return new TaskLogWriter(taskId, this.summaryPath(taskId), this.eventsPath(taskId), this.stored);
  }

  /**
   * Deletes this node's log files not written for `maxAgeMs`: those of tasks
   * retention removed from the store, whose lines the store no longer has
   * either. Returns how many files went.
   */
  async removeFilesOlderThan(maxAgeMs: number): Promise<number> {
    const cutoff = Date.now() - maxAgeMs;
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [])) {
      if (!TASK_LOG_FILE.test(name)) continue;
      const path = join(this.dir, name);
      try {
        if ((await stat(path)).mtimeMs >= cutoff) continue;
        await unlink(path);
        removed += 1;
      } catch {
        // Gone already (another sweep, a manual clean-up): nothing to do.
      }
    }
    return removed;
  }

  /** The summary log, or its last `tail` lines; empty when nothing was written yet. */
  async readSummary(taskId: number, tail?: number): Promise<string> {
    const lines = tail === undefined ? await this.readAll(taskId) : await this.store.readLog(taskId, { tail });
    return lines.map((line) => `${formatLogLine(line)}\n`).join('');
  }

  /** The summary lines written after the line with id `afterId` (0: from the start), and the id to pass next. */
  async readSummaryAfter(taskId: number, afterId: number): Promise<{ lines: string[]; lastId: number }> {
    const lines = await this.store.readLog(taskId, { afterId, limit: READ_BATCH });
    return { lines: lines.map(formatLogLine), lastId: lines.at(-1)?.id ?? afterId };
  }

  private async readAll(taskId: number): Promise<LogLine[]> {
    const all: LogLine[] = [];
    for (;;) {
      const batch = await this.store.readLog(taskId, { afterId: all.at(-1)?.id ?? 0, limit: READ_BATCH });
      all.push(...batch);
      if (batch.length < READ_BATCH) return all;
    }
  }
}

/** The summary log file of a task on the node that ran it. */
export function summaryLogPath(logDir: string, taskId: number): string {
  return join(logDir, `task-${taskId}.log`);
}

export function formatLogLine(line: { at: number; text: string }): string {
  return `${new Date(line.at).toISOString()} ${line.text}`;
}

/**
 * File writes are gathered for up to FILE_FLUSH_MS and written together: an
 * agent can report hundreds of events a second, and one write per event cost
 * the server ~1 ms each under load (50 agents at 10 events/s each).
 */
const FILE_FLUSH_MS = 100;

export class TaskLogWriter {
  private readonly summary: GatheredFile;
  private readonly events: GatheredFile;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly taskId: number,
    summaryPath: string,
    eventsPath: string,
    private readonly stored: StoredLogs,
  ) {
    this.summary = new GatheredFile(summaryPath, this.noteFailure);
    this.events = new GatheredFile(eventsPath, this.noteFailure);
  }

  line(text: string): void {
    // One physical line per entry: embedded newlines would break tail and follow.
    const line = { at: Date.now(), text: text.replace(/\r?\n/g, ' ⏎ ') };
    this.summary.append(`${formatLogLine(line)}\n`);
    this.stored.push(this.taskId, line);
    this.flushSoon();
  }

  event(message: unknown): void {
    this.events.append(`${JSON.stringify(message)}\n`);
    this.flushSoon();
  }

  /** Flushes and closes the files and writes what the store has not received yet. */
  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await Promise.all([this.summary.close(), this.events.close()]);
    // After the files: one that fails on its last write notes so in the stored log, and the note must go with this flush.
    await this.stored.flush();
  }

  /** A file that cannot be written stops; the readers of the log learn where, from the store's copy. */
  private readonly noteFailure = (path: string, error: Error): void => {
    this.line(`[log] ${path} could not be written (${error.message}); this file stops here, the log goes on in the database`);
  };

  private flushSoon(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.summary.flush();
      this.events.flush();
    }, FILE_FLUSH_MS);
  }
}

/**
 * An append-only file written in batches, and created with its first batch:
 * a run whose agent never started leaves no empty event log behind, and
 * costs no open and close (measured: about a third of a no-op run's time in
 * the server went to file system calls).
 *
 * A write that fails (a full disk, a quota, the directory removed) stops the
 * file for the rest of the run and is reported once; it never throws, nor
 * becomes an unhandled error that would take the server down.
 */
class GatheredFile {
  private stream: WriteStream | null = null;
  private pending: string[] = [];
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly onFailure: (path: string, error: Error) => void,
  ) {}

  append(text: string): void {
    if (!this.failed) this.pending.push(text);
  }

  flush(): void {
    if (this.failed || this.pending.length === 0) return;
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
      this.stream.on('error', (error) => this.fail(error));
    }
    this.stream.write(this.pending.join(''));
    this.pending = [];
  }

  async close(): Promise<void> {
    this.flush();
    if (this.stream && !this.stream.closed) await endStream(this.stream);
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    this.stream?.destroy();
    this.onFailure(this.path, error);
  }
}

/** Resolves once the stream is closed, written out or failed (its error handler reports a failure). */
function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('close', resolve);
    stream.end();
  });
}
