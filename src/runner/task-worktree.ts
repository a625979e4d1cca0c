/**
 * The runner's side of a task's git worktree (isolation `worktree`): made and
 * bootstrapped before the agent starts, committed after it stops, whatever
 * the outcome. The agent only gets the directory to work in.
 */
import type { FailureCode } from '../core/task.js';
import type { TaskLogWriter } from '../logs/task-logs.js';
import type { Lease, TaskRecord, TaskStore, WorkspaceProgress } from '../store/task-store.js';
import { bootstrapWorktree } from '../workspace/bootstrap.js';
import { MergeConflictError } from '../workspace/errors.js';
import type { DependencyWork } from '../workspace/start-point.js';
import { finishWorkspace, prepareWorkspace, type PreparedWorkspace } from '../workspace/workspace.js';

export interface TaskWorktreeDeps {
  store: TaskStore;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the worktrees of tasks go. */
  worktreesDir: string;
}

/** Why the task ends before its agent starts. */
export interface PrepareProblem {
  code: Extract<FailureCode, 'setup_failed' | 'merge_conflict'>;
  message: string;
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
   * Makes the task's worktree (isolation `worktree`) from its base or from
   * the work of the tasks it depends on, records where it is and runs the
   * project's bootstrap; returns what went wrong, which ends the task before
   * the agent starts.
   */
  async prepare(log: TaskLogWriter): Promise<PrepareProblem | null> {
    const { task } = this;
    if (task.isolation !== 'worktree' || task.base_commit === null) return null;
    try {
      this.prepared = await prepareWorkspace({
        taskId: task.id,
        prompt: task.execution_prompt,
        workingDirectory: task.working_directory,
        baseCommit: task.base_commit,
        dependencies: await this.dependencyWork(),
        worktreesDir: this.deps.worktreesDir,
        branch: task.branch,
        worktreePath: task.worktree_path,
      });
    } catch (error) {
      if (error instanceof MergeConflictError) return { code: 'merge_conflict', message: error.message };
      return { code: 'setup_failed', message: `Could not prepare the task's git worktree: ${messageOf(error)}` };
    }
    const { branch, worktreePath, cwd, reused, baseCommit, startedFrom, elsewhere } = this.prepared;
    const from = startedFrom.length > 0 ? ` (the work of ${startedFrom.join(', ')})` : '';
    const earlier = task.continues === null ? 'an earlier attempt' : `task ${task.continues}, which this task continues`;
    log.line(
      `=== ${reused ? `going on in the worktree of ${earlier}` : `new worktree from ${baseCommit.slice(0, 12)}${from}`}: ` +
        `branch ${branch}, agent in ${cwd}`,
    );
    if (elsewhere.length > 0) log.line(`=== not included, their work is in another repository: ${elsewhere.join(', ')}`);
    // base_commit: where the branch really started, so its diff holds only this task's work.
    await this.deps.store
      .recordWorkspace(this.lease, { base_commit: baseCommit, branch, worktree_path: worktreePath })
      .catch(() => {
        // Best effort, like progress: the outcome write records all three again.
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
      return { code: 'setup_failed', message: `Could not set up the task's worktree: ${messageOf(error)}` };
    }
    return null;
  }

  /** The heads of the tasks it depends on that have one (isolation `worktree`, a worktree made). */
  private async dependencyWork(): Promise<DependencyWork[]> {
    // Most tasks are on their own: no round trip to the store for them.
    if (this.task.orchestration_id === null) return [];
    const heads = await this.deps.store.dependencyHeads(this.task.id);
    return heads.flatMap((dependency) =>
      dependency.isolation === 'worktree' && dependency.head_commit !== null
        ? [{ name: dependency.identifier, head: dependency.head_commit }]
        : [],
    );
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
      return {
        base_commit: workspace.baseCommit,
        branch: workspace.branch,
        worktree_path: workspace.worktreePath,
        head_commit,
        changes,
      };
    } catch (error) {
      log.line(`=== could not commit the worktree ${workspace.worktreePath}; its files are still there: ${String(error)}`);
      return null;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
