/**
 * Packages that only a test needs, and that cannot be devDependencies:
 * installed from the npm registry, with npm, into a cache inside
 * node_modules, once per checkout. The Node 22 binary is one (see node22.ts);
 * the MCP Inspector is another: it and what it pulls in want Node 22, and as
 * a devDependency every `npm install` on Node 20 printed their engine
 * warnings, which read as a failed install.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * The directory `name@version` is installed in (its files under
 * node_modules/NAME), under a cache directory named after `label`,
 * installing it when `ready` says the cache lacks it.
 */
export async function cachedPackage(
  name: string,
  version: string,
  label: string,
  ready: (dir: string) => Promise<boolean>,
): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', `claude-worker-${label}-${version}`);
  if (!(await ready(dir))) {
    await run(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `${name}@${version}`],
      {
        cwd: ROOT,
      },
    );
    if (!(await ready(dir))) throw new Error(`npm installed ${name}@${version} into ${dir}, but it is not usable`);
  }
  return dir;
}
