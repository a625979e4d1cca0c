/**
 * Per-task log files under the log directory:
 *   task-<id>.log    readable summary, one timestamped line per tool use or message
 *   task-<id>.jsonl  every raw protocol message, one JSON object per line
 * Each attempt appends to the same files after a header line, through one
 * append-only writer per file (separate handles on one file clobber lines).
 */
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export class TaskLogs {
  constructor(readonly dir: string) {}

  summaryPath(taskId: number): string {
    return join(this.dir, `task-${taskId}.log`);
  }

  eventsPath(taskId: number): string {
    return join(this.dir, `task-${taskId}.jsonl`);
  }

  /** Opens both logs of a task for appending. */
  openWriter(taskId: number): TaskLogWriter {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return new TaskLogWriter(this.summaryPath(taskId), this.eventsPath(taskId));
  }

  /** The summary log, or its last `tail` lines; empty when nothing was written yet. */
  async readSummary(taskId: number, tail?: number): Promise<string> {
    let text: string;
    try {
      text = await readFile(this.summaryPath(taskId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
    if (tail === undefined) return text;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-tail).map((line) => `${line}\n`).join('');
  }

  /** Byte size of the summary log (0 when absent); lets a follower read only what is new. */
  async summarySize(taskId: number): Promise<number> {
    try {
      return (await stat(this.summaryPath(taskId))).size;
    } catch {
      return 0;
    }
  }

  /** The complete lines of the summary log from byte `offset` on, and the offset after them. */
  async readSummaryFrom(taskId: number, offset: number): Promise<{ lines: string[]; nextOffset: number }> {
    const size = await this.summarySize(taskId);
    if (size <= offset) return { lines: [], nextOffset: offset };
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(this.summaryPath(taskId), { start: offset, end: size - 1 })) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) return { lines: [], nextOffset: offset };
    const complete = text.slice(0, lastNewline);
    return {
      lines: complete.split('\n'),
      nextOffset: offset + Buffer.byteLength(complete, 'utf8') + 1,
    };
  }
}

export class TaskLogWriter {
  private readonly summary: WriteStream;
  private readonly events: WriteStream;

  constructor(summaryPath: string, eventsPath: string) {
    this.summary = createWriteStream(summaryPath, { flags: 'a', mode: 0o600 });
    this.events = createWriteStream(eventsPath, { flags: 'a', mode: 0o600 });
  }

  line(text: string): void {
    // One physical line per entry: embedded newlines would break tail and follow.
    this.summary.write(`${new Date().toISOString()} ${text.replace(/\r?\n/g, ' ⏎ ')}\n`);
  }

  event(message: unknown): void {
    this.events.write(`${JSON.stringify(message)}\n`);
  }

  /** Flushes and closes both files. */
  async close(): Promise<void> {
    await Promise.all([endStream(this.summary), endStream(this.events)]);
  }
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
