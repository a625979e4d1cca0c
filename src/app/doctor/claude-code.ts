/** The Claude Code executable tasks run, found the way the agent finds it, and whether it starts. */
import { existsSync } from 'node:fs';
import { claudeVersion, resolveClaudeExecutable } from '../../agents/claude-code/executable.js';
import { result, type Check } from './check.js';

const TITLE = 'Claude Code';

export const checkClaudeCode: Check = async ({ config }) => {
  const executable = resolveClaudeExecutable(config.claudeExecutable);
  if (executable === null) {
    return result(
      'claude_code',
      TITLE,
      'fail',
      'the Claude Code binary bundled with the Agent SDK is not installed (an optional dependency was left out)',
      'Reinstall claude-worker without --omit=optional (npm install -g claude-worker), ' +
        'or point CLAUDE_WORKER_CLAUDE_PATH at a Claude Code executable.',
    );
  }
  const where = `${executable.path} (${executable.source === 'configured' ? 'CLAUDE_WORKER_CLAUDE_PATH' : 'bundled with the Agent SDK'})`;
  if (!existsSync(executable.path)) {
    return result(
      'claude_code',
      TITLE,
      'fail',
      `not found: ${where}`,
      'Set CLAUDE_WORKER_CLAUDE_PATH to the path of an installed Claude Code executable (`which claude`), or unset it to use the bundled one.',
    );
  }
  try {
    return result('claude_code', TITLE, 'ok', `${await claudeVersion(executable.path)} at ${where}`);
  } catch (error) {
    return result(
      'claude_code',
      TITLE,
      'fail',
      `${where} does not start: ${(error as Error).message.split('\n')[0]}`,
      'Check that the file is an executable Claude Code for this platform (run it with --version), or reinstall claude-worker.',
    );
  }
};
