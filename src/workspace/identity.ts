/**
 * The author and committer of the commits claude-worker makes itself
 * (what an agent left uncommitted, merges, combined dependencies): given in the environment so that they
 * never depend on, or fail for lack of, the git configuration of the
 * machine it runs on.
 */
export const CLAUDE_WORKER_IDENTITY: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: 'claude-worker',
  GIT_AUTHOR_EMAIL: 'claude-worker@localhost',
  GIT_COMMITTER_NAME: 'claude-worker',
  GIT_COMMITTER_EMAIL: 'claude-worker@localhost',
};
