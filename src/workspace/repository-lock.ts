/**
 * claude-worker's own git operations on one repository run one at a time:
 * concurrent ones race on index.lock and ref locks ("Another git process
 * seems to be running"). A promise chain per repository root, in this
 * process; the agents' git commands run in their own worktrees, with their
 * own index, and need no lock.
 */
const chains = new Map<string, Promise<unknown>>();

export function withRepositoryLock<T>(root: string, operation: () => Promise<T>): Promise<T> {
  const previous = chains.get(root) ?? Promise.resolve();
  const result = previous.then(operation, operation);
  const settled = result.catch(() => {});
  chains.set(root, settled);
  // The last operation on a repository drops its chain, so the map does not grow with every repository ever seen.
  void settled.then(() => {
    if (chains.get(root) === settled) chains.delete(root);
  });
  return result;
}
