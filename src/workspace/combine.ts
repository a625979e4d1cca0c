/**
 * The starting point of a task that depends on several others: one commit
 * holding all their heads. `git merge-tree --write-tree` merges two commits
 * at a time (git 2.39 has no octopus form of it), so the heads are merged in
 * order into a chain of merge commits, each with the previous result and
 * the next head as parents; a head already contained in the result adds
 * nothing, and a result contained in the next head is replaced by it. Only
 * objects are written, no ref, working tree or index, so a conflict leaves
 * no trace but unreachable objects.
 */
import { commitTree, isAncestor, mergeTrees } from './commits.js';
import { MergeConflictError } from './errors.js';
import { CLAUDE_WORKER_IDENTITY } from './identity.js';

/** A commit that contains every one of `heads`. */
export async function combineHeads(repoRoot: string, heads: readonly [string, ...string[]], message: string): Promise<string> {
  const [first, ...rest] = heads;
  let combined = first;
  for (const head of rest) {
    if (await isAncestor(repoRoot, head, combined)) continue;
    if (await isAncestor(repoRoot, combined, head)) {
      combined = head;
      continue;
    }
    const merged = await mergeTrees(repoRoot, combined, head);
    if (merged.conflicts) {
      throw new MergeConflictError(
        heads.join(', '),
        merged.conflicts,
        'Their changes overlap: merge them by hand, or make one of them depend on the other.',
      );
    }
    combined = await commitTree(repoRoot, merged.tree, [combined, head], message, { env: CLAUDE_WORKER_IDENTITY });
  }
  return combined;
}
