import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { composePrompt, looksLikePromptFile, readInstruction } from '../../src/cli/prompt-input.js';

describe('composePrompt', () => {
  it('sends the instruction first and the piped text after it, in a delimited block', () => {
    const prompt = composePrompt('Review these changes', 'diff --git a/x b/x\n+added line\n');
    expect(prompt).toBe(
      'Review these changes\n\nThe following input was piped to this task on stdin:\n<stdin>\ndiff --git a/x b/x\n+added line\n</stdin>\n',
    );
  });

  it('uses piped text alone as the prompt when no instruction is given', () => {
    expect(composePrompt(undefined, 'Write a haiku about queues\n')).toBe('Write a haiku about queues');
  });

  it('keeps the instruction as it is when stdin is empty or blank', () => {
    expect(composePrompt('Do it', '')).toBe('Do it');
    expect(composePrompt('Do it', ' \n\t\n')).toBe('Do it');
  });

  it('refuses when there is neither an instruction nor piped text', () => {
    for (const instruction of [undefined, '', '   ']) {
      let thrown: unknown;
      try {
        composePrompt(instruction, '\n');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).issues[0]!.field).toBe('prompt');
      expect((thrown as ValidationError).issues[0]!.message).toMatch(/no prompt/);
    }
  });
});

describe('looksLikePromptFile', () => {
  it('treats a single word ending in .md or .txt as a file name', () => {
    expect(looksLikePromptFile('prompt.md')).toBe(true);
    expect(looksLikePromptFile('./tasks/Refactor.TXT')).toBe(true);
  });

  it('treats sentences and other names as text', () => {
    expect(looksLikePromptFile('Update README.md with the new flags')).toBe(false);
    expect(looksLikePromptFile('script.sh')).toBe(false);
    expect(looksLikePromptFile('Refactor')).toBe(false);
  });
});

describe('readInstruction', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cw-prompt-'));
    await writeFile(join(dir, 'task.md'), '# Task\nAdd a CHANGELOG entry.\n');
    await writeFile(join(dir, 'blank.txt'), '\n  \n');
    await mkdir(join(dir, 'folder.md'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a prompt file relative to the given directory', async () => {
    expect(await readInstruction('task.md', dir)).toBe('# Task\nAdd a CHANGELOG entry.\n');
  });

  it('returns text arguments unchanged', async () => {
    expect(await readInstruction('Add a CHANGELOG entry', dir)).toBe('Add a CHANGELOG entry');
  });

  it.each([
    ['missing.md', /missing\.md does not exist/],
    ['blank.txt', /blank\.txt is empty/],
    ['folder.md', /folder\.md is a directory/],
  ])('reports a prompt file that cannot be used (%s)', async (name, message) => {
    await expect(readInstruction(name, dir)).rejects.toThrow(message);
  });
});
