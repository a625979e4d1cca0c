/**
 * Continuing the Claude Code session of an interrupted attempt (its runner
 * was stopped or died), so the agent keeps what it had read, planned and
 * done instead of starting over on a half-edited tree. Claude Code keeps
 * sessions on the machine that ran them: a task re-run elsewhere starts over.
 */
/** The new user message of a resumed session; the original prompt is already in it. */
export const CONTINUE_PROMPT =
  'The previous run of this task was interrupted before it finished: the process running it stopped. ' +
  'Continue from where it stopped. First check what is already done in the working directory (a file may be ' +
  'half-written), then finish the task as originally asked.';

/**
 * Whether the session can be resumed here. Claude Code looks for it under
 * this process's CLAUDE_CONFIG_DIR (or ~/.claude), which is the agent's too:
 * the runner passes its own environment to agents.
 */
export async function canResume(sessionId: string, cwd: string): Promise<boolean> {
  try {
    const { getSessionInfo } = await import('@anthropic-ai/claude-agent-sdk');
    return (await getSessionInfo(sessionId, { dir: cwd })) !== undefined;
  } catch {
    // An unreadable session is one we cannot continue; starting over is always possible.
    return false;
  }
}
