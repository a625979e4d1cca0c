/**
 * `npm run bundle [-- OUTPUT]`: the Claude Desktop extension (claude-worker.mcpb by default), packed
 * with mcpb from manifest.json, the built dist/ and the production dependencies as this checkout
 * installed them. Run `npm run build` first.
 *
 * The bundle is for the platform it is built on: better-sqlite3 is a native module. It leaves out the
 * Claude Code binaries the Agent SDK brings (one package per platform, about 380 MB): a task the
 * extension runs itself uses the executable the user configures, and a claude-worker server uses its own.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const output = resolve(process.argv[2] ?? join(ROOT, 'claude-worker.mcpb'));
const CLAUDE_BINARIES = /^node_modules\/@anthropic-ai\/claude-agent-sdk-[^/]+$/;
/** What a running server never reads: source maps, and the sources and objects better-sqlite3 was compiled from. */
const UNUSED = /\.map$|^node_modules\/better-sqlite3\/(deps|src|build\/Release\/(obj|\.deps))/;

if (!existsSync(join(ROOT, 'dist', 'app', 'mcp-bin.js'))) {
  process.stderr.write('dist/ is missing: run `npm run build` first.\n');
  process.exit(2);
}

/** The top-level package directories of the production dependency tree (their nested node_modules come with them). */
function productionPackages() {
  const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  const dirs = listing
    .trim()
    .split('\n')
    .map((dir) => relative(ROOT, dir).split(sep).join('/'))
    .filter((dir) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(dir));
  return [...new Set(dirs)].filter((dir) => !CLAUDE_BINARIES.test(dir));
}

const stage = mkdtempSync(join(tmpdir(), 'claude-worker-mcpb-'));
try {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  manifest.compatibility.platforms = [process.platform];
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const copy = (path) =>
    cpSync(join(ROOT, path), join(stage, path), {
      recursive: true,
      filter: (source) => !UNUSED.test(relative(ROOT, source).split(sep).join('/')),
    });
  for (const path of ['package.json', 'README.md', 'LICENSE', 'dist', ...productionPackages()]) copy(path);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'mcpb'), ['pack', stage, output], { stdio: 'inherit' });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
