// Builds the dashboard into dist/dashboard: the page, its stylesheet and icon as they are, and its
// ES modules with their libraries, minified: app.js, and a chunk-<hash>.js for each part that a
// page loads when it is first shown (see src/lazy-page.js) (run by `npm run build`).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const source = new URL('./', import.meta.url);
const target = new URL('../dist/dashboard/', import.meta.url);
mkdirSync(target, { recursive: true });
// The chunks of an earlier build would be served (and counted by the benchmark) beside the new ones.
for (const file of readdirSync(target)) if (file.startsWith('chunk-')) rmSync(new URL(file, target));
for (const file of ['app.css', 'icon.svg']) copyFileSync(new URL(file, source), new URL(file, target));
const { metafile } = await build({
  entryPoints: { app: new URL('src/main.js', source).pathname },
  outdir: target.pathname,
  entryNames: '[name]',
  // src/server/dashboard/static-assets.ts serves the names of this pattern.
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

// The chunks app.js imports are named in the page as well, so the browser fetches them beside
// app.js instead of after it.
const app = Object.entries(metafile.outputs).find(([path]) => path.endsWith('/app.js'))[1];
const preloads = app.imports
  .filter((chunk) => chunk.kind === 'import-statement')
  .map((chunk) => `<link rel="modulepreload" href="/assets/${chunk.path.split('/').pop()}" />`);
const page = readFileSync(new URL('index.html', source), 'utf8');
writeFileSync(new URL('index.html', target), page.replace('<!-- modulepreload -->', preloads.join('\n    ')));
