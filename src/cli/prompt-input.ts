/**
 * Where the prompt of `run` comes from: the PROMPT argument (text, or a .md /
 * .txt file holding it) and text piped on stdin. Piped text is context for the
 * instruction, never silently dropped; alone, it is the prompt.
 */
import { fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { ValidationError } from '../core/errors.js';

const PROMPT_FILE_EXTENSIONS = new Set(['.md', '.txt']);

/**
 * How long to wait for the first byte of a stdin that is neither a terminal nor
 * closed. A parent process may hand us a pipe it never writes to nor closes
 * (CI runners, process managers); reading it to the end would hang for ever.
 * Claude Code's own CLI settles the same question with a 3 s wait.
 */
export const STDIN_FIRST_BYTE_WAIT_MS = 3_000;

export interface StdinInput {
  text: string;
  /** Stdin was an open pipe that sent nothing within the wait: it was not read. */
  gaveUp: boolean;
}

/** The instruction named by the PROMPT argument: the file's contents when it names a prompt file. */
export async function readInstruction(argument: string, cwd: string): Promise<string> {
  if (!looksLikePromptFile(argument)) return argument;
  const path = resolve(cwd, argument);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new ValidationError([{ field: 'prompt', message: `prompt file ${path} ${reason}` }]);
  }
  if (text.trim() === '') throw new ValidationError([{ field: 'prompt', message: `prompt file ${path} is empty` }]);
  return text;
}

/**
 * A single word ending in .md or .txt is a file name: nobody gives "notes.md"
 * as an instruction, so a missing file is reported rather than sent as text.
 */
export function looksLikePromptFile(argument: string): boolean {
  return !/\s/.test(argument.trim()) && PROMPT_FILE_EXTENSIONS.has(extname(argument.trim()).toLowerCase());
}

/** The prompt sent to the agent: the instruction first, then the piped text in a delimited block. */
export function composePrompt(instruction: string | undefined, stdin: string): string {
  const context = stdin.trim() === '' ? null : stdin.replace(/\s+$/, '');
  if (instruction !== undefined && instruction.trim() !== '') {
    if (context === null) return instruction;
    return `${instruction.replace(/\s+$/, '')}\n\nThe following input was piped to this task on stdin:\n<stdin>\n${context}\n</stdin>\n`;
  }
  if (context !== null) return context;
  throw new ValidationError([
    {
      field: 'prompt',
      message: 'no prompt: give it as an argument (text or a .md/.txt file) or pipe it on stdin',
    },
  ]);
}

/**
 * Reads piped stdin to its end. A terminal (or a closed stdin) is no input;
 * an open pipe that stays silent past `firstByteWaitMs` is left unread.
 */
export async function readPipedStdin(firstByteWaitMs = STDIN_FIRST_BYTE_WAIT_MS): Promise<StdinInput> {
  if (!stdinIsReadable()) return { text: '', gaveUp: false };
  const stdin = process.stdin;
  return new Promise<StdinInput>((resolveInput, reject) => {
    const chunks: Buffer[] = [];
    const finish = (result: StdinInput) => {
      clearTimeout(timer);
      stdin.off('data', onData).off('end', onEnd).off('error', onError);
      resolveInput(result);
    };
    const timer = setTimeout(() => {
      // Destroying releases the pipe, so it no longer keeps this process alive.
      stdin.destroy();
      finish({ text: '', gaveUp: true });
    }, firstByteWaitMs);
    const onData = (chunk: Buffer) => {
      clearTimeout(timer);
      chunks.push(chunk);
    };
    const onEnd = () => finish({ text: Buffer.concat(chunks).toString('utf8'), gaveUp: false });
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    stdin.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

function stdinIsReadable(): boolean {
  try {
    fstatSync(0);
  } catch {
    return false; // fd 0 closed (`<&-`)
  }
  return !isatty(0);
}
