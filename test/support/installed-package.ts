/**
 * The package as a user gets it from npm: `npm pack` of this checkout's
 * build, then `npm install -g` of the tarball into a throwaway prefix.
 *
 * npm runs with an environment of its own (a throwaway HOME, so no user
 * .npmrc; none of the npm_config_* variables that `npm test` passes down
 * but the download cache, see NPM_CACHE).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
/**
 * npm's download cache: the one of the `npm` running the suite when there is
 * one (`npm test` passes it down, and `npm install` has just filled it with
 * every package the tarball needs, so with --prefer-offline the install asks
 * the registry for nothing), else one inside node_modules kept between runs.
 * A cache changes how fast the install is, never what it installs.
 */
const NPM_CACHE = process.env.npm_config_cache ?? join(ROOT, 'node_modules', '.cache', 'claude-worker-npm-cache');
/** An install that hangs on the network fails the test with npm's output instead of stalling the suite. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** What `npm pack --json` reports of a tarball. */
export interface PackedTarball {
  path: string;
  /** Compressed size, in bytes. */
  size: number;
  unpackedSize: number;
  /** Paths inside the package, sorted. */
  files: string[];
}

/** The headers this Node was installed with, when it was (node-gyp downloads them otherwise). */
const NODE_HEADERS = dirname(dirname(process.execPath));

/**
 * better-sqlite3's install downloads a prebuilt native module from its GitHub
 * releases, which cannot be reached here; without one it compiles from
 * source (~4 min on two cores). prebuild-install first looks in a "local
 * prebuilds" directory for the very archive it would download, so this
 * packs the module the checkout's own install made (same version, same
 * Node ABI) under that name: the install then takes what a user with a
 * network gets, in seconds. Null when the checkout has no built module.
 */
function localPrebuilds(): string | null {
  const sqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  const module = join(sqlite, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(module)) return null;
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const dir = join(ROOT, 'node_modules', '.cache', 'claude-worker-prebuilds');
  const archive = join(
    dir,
    `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`,
  );
  if (!existsSync(archive)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-czf', archive, '-C', sqlite, 'build/Release/better_sqlite3.node']);
  }
  return dir;
}

/** The environment npm runs in: this Node first on the PATH (the compiler tools for native modules after it). */
function npmEnv(home: string): Record<string, string> {
  mkdirSync(home, { recursive: true });
  const prebuilds = localPrebuilds();
  return {
    ...(prebuilds ? { npm_config_better_sqlite3_local_prebuilds: prebuilds } : {}),
    // Otherwise better-sqlite3 compiles its native module, against this Node's headers.
    ...(existsSync(join(NODE_HEADERS, 'include', 'node', 'node.h')) ? { npm_config_nodedir: NODE_HEADERS } : {}),
    PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    HOME: home,
    npm_config_cache: NPM_CACHE,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}

/**
 * Packs the checkout into `dir`. Scripts are not run: the suite built dist/
 * already, and a prepack rebuilding it would race the test files using it.
 */
export async function packTarball(dir: string): Promise<PackedTarball> {
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    env: npmEnv(join(dir, 'npm-home')),
  });
  const [report] = JSON.parse(stdout) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  return {
    path: join(dir, report!.filename),
    size: report!.size,
    unpackedSize: report!.unpackedSize,
    files: report!.files.map((file) => file.path).sort(),
  };
}

export interface InstalledPackage {
  prefix: string;
  /** The directory holding the `claude-worker` and `claude-worker-mcp` commands. */
  bin: string;
  /** The installed package's own directory. */
  root: string;
  /** What npm printed. */
  output: string;
}

/** `npm install -g TARBALL --prefix PREFIX`, as the README says, into a fresh `prefix`. */
export async function installTarball(tarball: string, prefix: string): Promise<InstalledPackage> {
  const { stdout, stderr } = await run('npm', ['install', '-g', tarball, '--prefix', prefix, '--prefer-offline'], {
    cwd: dirname(tarball),
    env: npmEnv(join(prefix, '..', 'npm-home')),
    maxBuffer: 16 * 1024 * 1024,
    timeout: INSTALL_TIMEOUT_MS,
  });
  return {
    prefix,
    bin: join(prefix, 'bin'),
    root: join(prefix, 'lib', 'node_modules', 'claude-worker'),
    output: stdout + stderr,
  };
}
