/**
 * The CLI's streams: results on stdout (tables for people, JSON for
 * programs), notices and errors on stderr.
 */
import { styleFor, type Style } from './format.js';

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Stable JSON: two-space indented, one document per command. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function notice(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function stdoutStyle(): Style {
  return styleFor(process.stdout);
}
