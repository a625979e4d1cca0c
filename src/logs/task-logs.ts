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
import { join } from 'node:path';
import type { LogLine, TaskStore } from '../store/task-store.js';
import { StoredLog } from './stored-log.js';

/** How many lines a follower reads per query. */
const READ_BATCH = 1000;

export class TaskLogs {
  constructor(
    readonly dir: string,
    private readonly store: TaskStore,
  ) {}

  summaryPath(taskId: number): string {
    return summaryLogPath(this.dir, taskId);
  }

  eventsPath(taskId: number): string {
    return join(this.dir, `task-${taskId}.jsonl`);
  }

  /** Opens the logs of a task for appending. */
  openWriter(taskId: number): TaskLogWriter {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return new TaskLogWriter(this.summaryPath(taskId), this.eventsPath(taskId), new StoredLog(this.store, taskId));
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

export class TaskLogWriter {
  private readonly summary: WriteStream;
  private readonly events: WriteStream;

  constructor(
    summaryPath: string,
    eventsPath: string,
    private readonly stored: StoredLog,
  ) {
    this.summary = createWriteStream(summaryPath, { flags: 'a', mode: 0o600 });
    this.events = createWriteStream(eventsPath, { flags: 'a', mode: 0o600 });
  }

  line(text: string): void {
    // One physical line per entry: embedded newlines would break tail and follow.
    const line = { at: Date.now(), text: text.replace(/\r?\n/g, ' ⏎ ') };
    this.summary.write(`${formatLogLine(line)}\n`);
    this.stored.push(line);
  }

  event(message: unknown): void {
    this.events.write(`${JSON.stringify(message)}\n`);
  }

  /** Flushes and closes the files and writes what the store has not received yet. */
  async close(): Promise<void> {
    await Promise.all([endStream(this.summary), endStream(this.events), this.stored.close()]);
  }
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
