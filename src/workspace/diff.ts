/**
 * What a task changed, from its base commit to its head commit. Both read
 * only objects, so they work whether or not the task's worktree still
 * exists. A task can rewrite a lockfile or a generated file, so the text is
 * bounded: cut at a line end, with a note saying how much is shown; the stat
 * (`git diff --numstat`) always covers every file. Options that a person's
 * git configuration could change (colour, external diff drivers, textconv,
 * prefixes, rename detection) are fixed so every reader gets the same diff.
 */
import { git } from './git-command.js';

const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '-M'];

export interface BoundedDiff {
  /** The unified diff, cut to at most `maxBytes` plus a one-line note when `truncated`. */
  text: string;
  truncated: boolean;
  /** The size of the whole diff in bytes (UTF-8). */
  totalBytes: number;
}

export async function taskDiff(
  repoRoot: string,
  base: string,
  head: string,
  options: { maxBytes: number },
): Promise<BoundedDiff> {
  const { stdout } = await git(repoRoot, ['diff', ...DIFF_OPTIONS, base, head, '--']);
  const whole = Buffer.from(stdout, 'utf8');
  if (whole.length <= options.maxBytes) return { text: stdout, truncated: false, totalBytes: whole.length };
  const shown = whole.subarray(0, cutPoint(whole, options.maxBytes));
  const lineEnd = shown.at(-1) === 0x0a ? '' : '\n';
  const note = `[diff cut: ${shown.length} of ${whole.length} bytes shown]\n`;
  return { text: `${shown.toString('utf8')}${lineEnd}${note}`, truncated: true, totalBytes: whole.length };
}

/** The longest prefix of at most `maxBytes` that ends a line, or failing that, ends a UTF-8 character. */
function cutPoint(bytes: Buffer, maxBytes: number): number {
  const lastNewline = bytes.lastIndexOf(0x0a, maxBytes - 1);
  if (lastNewline >= 0) return lastNewline + 1;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a multi-byte character
  return end;
}

export interface FileStat {
  path: string;
  /** The path the file had at base, when it was renamed. */
  previousPath?: string;
  insertions: number;
  deletions: number;
  /** git counts no lines in a binary file: its insertions and deletions are 0. */
  binary: boolean;
}

export interface DiffStat {
  files: FileStat[];
  insertions: number;
  deletions: number;
}

export async function diffStat(repoRoot: string, base: string, head: string): Promise<DiffStat> {
  const { stdout } = await git(repoRoot, ['diff', '--numstat', '-z', ...DIFF_OPTIONS, base, head, '--']);
  const files: FileStat[] = [];
  // -z records: "ADDED\tDELETED\tPATH\0", or for a rename "ADDED\tDELETED\t\0FROM\0TO\0"; "-" counts mark a binary file.
  const fields = stdout.split('\0');
  for (let index = 0; index < fields.length; index++) {
    const record = fields[index]!;
    if (record === '') continue;
    const [added = '', deleted = ''] = record.split('\t', 2);
    const path = record.slice(added.length + deleted.length + 2); // a path may itself hold a tab
    const binary = added === '-';
    const counts = { insertions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary };
    if (path !== '') files.push({ path, ...counts });
    else {
      const previousPath = fields[++index]!;
      files.push({ path: fields[++index]!, previousPath, ...counts });
    }
  }
  const sum = (key: 'insertions' | 'deletions') => files.reduce((total, file) => total + file[key], 0);
  return { files, insertions: sum('insertions'), deletions: sum('deletions') };
}
