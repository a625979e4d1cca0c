/**
 * The small glob language of `.claude-worker.json`'s `worktree.copy`: `*`
 * (any characters but `/`) and `?` (one of them). A pattern without `/`
 * matches a file or directory name at any depth (`.env*`); one with `/`
 * matches the path from the repository root (`config/*.local.json`).
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  const byName = !pattern.includes('/');
  return (path) => regex.test(byName ? (path.split('/').at(-1) ?? path) : path);
}
