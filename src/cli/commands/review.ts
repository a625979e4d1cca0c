/**
 * Reviewing a task's work: `diff ID` (base..head), `merge ID` into the
 * checked-out branch or `--into BRANCH` (`merge --orchestration ID`: the
 * work of an orchestration's last tasks), `discard ID` (its worktree and
 * branch) and `open ID`, which prints only the worktree's path so that
 * `cd "$(claude-worker open 42)"` works. A refusal is an error on stderr and
 * exit 1, with nothing changed.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import type { DiscardOutcome, MergeOutcome, OrchestrationMergeOutcome, TaskDiffStat } from '../../core/review.js';
import { parseOrchestrationId, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import type { Style } from '../format.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { ValidationError } from '../../core/errors.js';

export function registerReviewCommands(program: Command): void {
  program
    .command('diff')
    .description("Show what a task changed: its branch's diff from the commit it started from")
    .argument('<id>', 'task id', parseTaskId)
    .option('--stat', 'only the files changed, with their line counts')
    .option('--json', 'print JSON (with --stat: the files; else the diff and whether it was cut)')
    .action(async (id: number, options: { stat?: boolean; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const style = stdoutStyle();
      if (options.stat) {
        const stat = await client.diffStat(id);
        if (options.json) printJson(stat);
        else print(renderStat(stat, style));
        return;
      }
      const diff = await client.diff(id);
      if (options.json) printJson(diff);
      else if (diff.text !== '') process.stdout.write(diff.text.split('\n').map(style.diffLine).join('\n'));
    });

  program
    .command('merge')
    .description(
      "Merge a task's branch, or an orchestration's work (its last tasks' heads), into the branch checked out in its repository (or --into BRANCH)",
    )
    .argument('[id]', 'task id', parseTaskId)
    .option('--orchestration <id>', 'merge the work of this orchestration instead of one task', parseOrchestrationId)
    .option('--squash', 'one new commit instead of a merge commit')
    .option('--into <branch>', 'the local branch to merge into')
    .option('--json', 'print the outcome (with the task or orchestration) as JSON')
    .action(
      async (id: number | undefined, options: { orchestration?: number; squash?: boolean; into?: string; json?: boolean }) => {
        if ((id === undefined) === (options.orchestration === undefined)) {
          throw new ValidationError([
            { field: 'id', message: 'give either a task id or --orchestration ID, exactly one of them' },
          ]);
        }
        const client = await connect(loadConfig(), notice);
        const input = {
          ...(options.squash ? { squash: true } : {}),
          ...(options.into === undefined ? {} : { into: options.into }),
        };
        if (options.orchestration !== undefined) {
          const outcome = await client.mergeOrchestration(options.orchestration, input);
          if (options.json) printJson(outcome);
          else print(describeOrchestrationMerge(outcome));
          return;
        }
        const outcome = await client.merge(id!, input);
        if (options.json) printJson(outcome);
        else print(describeMerge(outcome));
      },
    );

  program
    .command('discard')
    .description("Remove a task's worktree and branch; work on no other branch only with --force")
    .argument('<id>', 'task id', parseTaskId)
    .option('--force', 'delete the branch even when it holds commits no other branch has')
    .option('--json', 'print the outcome (with the task) as JSON')
    .action(async (id: number, options: { force?: boolean; json?: boolean }) => {
      const client = await connect(loadConfig(), notice);
      const outcome = await client.discard(id, options.force ? { force: true } : {});
      if (options.json) printJson(outcome);
      else print(describeDiscard(outcome));
    });

  program
    .command('open')
    .description('Print the path of a task\'s worktree, for cd "$(claude-worker open ID)"')
    .argument('<id>', 'task id', parseTaskId)
    .action(async (id: number) => {
      const client = await connect(loadConfig(), notice);
      print((await client.worktree(id)).path);
    });
}

function renderStat(stat: TaskDiffStat, style: Style): string {
  const lines = stat.files.map((file) => {
    const counts = file.binary ? 'binary' : `+${file.insertions} -${file.deletions}`;
    const path = file.previous_path === undefined ? file.path : `${file.previous_path} => ${file.path}`;
    return `${counts.padEnd(12)} ${path}`;
  });
  const total = `${stat.files.length} file(s), +${stat.insertions} -${stat.deletions}`;
  return [...lines, style.dim(total)].join('\n');
}

function describeMerge({ task, into, merge_commit, fast_forward, already_merged }: MergeOutcome): string {
  const commit = merge_commit.slice(0, 12);
  if (already_merged)
    return `Task ${task.id}: ${into} already holds branch ${task.branch}; nothing changed (${into} at ${commit}).`;
  const how = fast_forward ? 'fast-forwarded to' : 'now at merge commit';
  return `Task ${task.id}: merged branch ${task.branch} into ${into}, ${how} ${commit}.`;
}

function describeOrchestrationMerge({
  orchestration,
  into,
  merge_commit,
  fast_forward,
  already_merged,
}: OrchestrationMergeOutcome): string {
  const commit = merge_commit.slice(0, 12);
  if (already_merged)
    return `Orchestration ${orchestration.id}: ${into} already holds its work; nothing changed (${into} at ${commit}).`;
  const how = fast_forward ? 'fast-forwarded to' : 'now at merge commit';
  return `Orchestration ${orchestration.id}: merged its work into ${into}, ${how} ${commit}.`;
}

function describeDiscard({ task, removed_worktree, deleted_branch }: DiscardOutcome): string {
  const removed = [removed_worktree ? `worktree ${task.worktree_path}` : null, deleted_branch ? `branch ${task.branch}` : null];
  const what = removed.filter((part) => part !== null).join(' and ');
  return what === '' ? `Task ${task.id} had no worktree or branch left; nothing to remove.` : `Task ${task.id}: removed ${what}.`;
}
