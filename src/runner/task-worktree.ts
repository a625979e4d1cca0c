/**
 * The runner's side of a task's git worktree (isolation `worktree`): made and
 * bootstrapped before the agent starts, committed after it stops, whatever
 * the outcome. The agent only gets the directory to work in.
 */
import type { TaskLogWriter } from '../logs/task-logs.js';
import type { Lease, TaskRecord, TaskStore, WorkspaceProgress } from '../store/task-store.js';
import { bootstrapWorktree } from '../workspace/bootstrap.js';
import { finishWorkspace, prepareWorkspace, type PreparedWorkspace } from '../workspace/workspace.js';

export interface TaskWorktreeDeps {
  store: TaskStore;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the worktrees of tasks go. */
  worktreesDir: string;
}

export class TaskWorktree {
  private prepared: PreparedWorkspace | null = null;

  constructor(
    private readonly deps: TaskWorktreeDeps,
    private readonly task: TaskRecord,
    private readonly lease: Lease,
    /** Stops the setup command with the agent's run. */
    private readonly signal: AbortSignal,
  ) {}

  /** Where the agent runs once the worktree is prepared; null for a task that runs in place. */
  get cwd(): string | null {
    return this.prepared?.cwd ?? null;
  }

  /**
   * Makes the task's worktree (isolation `worktree`), records where it is and
   * runs the project's bootstrap; returns what went wrong, which ends the
   * task `setup_failed` before the agent starts.
   */
  async prepare(log: TaskLogWriter): Promise<string | null> {
    const { task } = this;
    if (task.isolation !== 'worktree' || task.base_commit === null) return null;
    try {
      this.prepared = await prepareWorkspace({
        taskId: task.id,
        prompt: task.execution_prompt,
        workingDirectory: task.working_directory,
        baseCommit: task.base_commit,
        worktreesDir: this.deps.worktreesDir,
        branch: task.branch,
        worktreePath: task.worktree_path,
      });
    } catch (error) {
      return `Could not prepare the task's git worktree: ${error instanceof Error ? error.message : String(error)}`;
    }
    const { branch, worktreePath, cwd, reused } = this.prepared;
    const earlier = task.continues === null ? 'an earlier attempt' : `task ${task.continues}, which this task continues`;
    log.line(
      `=== ${reused ? `going on in the worktree of ${earlier}` : `new worktree from ${task.base_commit.slice(0, 12)}`}: ` +
        `branch ${branch}, agent in ${cwd}`,
    );
    await this.deps.store.recordWorkspace(this.lease, { branch, worktree_path: worktreePath }).catch(() => {
      // Best effort, like progress: the outcome write records branch and worktree again.
    });
    try {
      await bootstrapWorktree({
        repositoryRoot: this.prepared.repositoryRoot,
        worktreePath,
        env: this.deps.env,
        signal: this.signal,
        onLine: (line) => log.line(line),
      });
    } catch (error) {
      return `Could not set up the task's worktree: ${error instanceof Error ? error.message : String(error)}`;
    }
    return null;
  }

  /** Commits what the agent left in its worktree, whatever the outcome; null without a worktree or when git failed. */
  async finish(log: TaskLogWriter, outcome: string): Promise<WorkspaceProgress | null> {
    const workspace = this.prepared;
    if (!workspace) return null;
    try {
      const { head_commit, changes, committedLeftovers } = await finishWorkspace(workspace, this.task.id, outcome);
      log.line(
        `=== ${committedLeftovers ? 'committed what the agent left uncommitted (--no-verify)' : 'nothing left uncommitted'}; ` +
          `branch ${workspace.branch} at ${head_commit.slice(0, 12)}: ${changes.files} file(s), +${changes.insertions} -${changes.deletions}`,
      );
      return { branch: workspace.branch, worktree_path: workspace.worktreePath, head_commit, changes };
    } catch (error) {
      log.line(`=== could not commit the worktree ${workspace.worktreePath}; its files are still there: ${String(error)}`);
      return null;
    }
  }
}
