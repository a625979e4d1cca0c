/**
 * What a working tree holds that is on no commit: modified, staged, deleted
 * and untracked files (ignored ones are left out, as `git status` does).
 * Untracked files count because `git merge` refuses to overwrite them and
 * `git worktree remove` refuses to delete them.
 */
import { git } from './git-command.js';

export async function uncommittedPaths(worktreePath: string): Promise<string[]> {
  const { stdout } = await git(worktreePath, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const paths: string[] = [];
  const fields = stdout.split('\0');
  for (let index = 0; index < fields.length; index++) {
    const entry = fields[index]!;
    if (entry === '') continue;
    paths.push(entry.slice(3));
    // A rename or copy is followed by the path it came from, which changes too.
    if (/[RC]/.test(entry.slice(0, 2))) paths.push(fields[++index]!);
  }
  return paths;
}
