// Builds the dashboard into dist/dashboard: the page, its stylesheet and icon as they are, and one
// minified bundle of its ES modules with their libraries (run by `npm run build`).
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const source = new URL('./', import.meta.url);
const target = new URL('../dist/dashboard/', import.meta.url);
mkdirSync(target, { recursive: true });
for (const file of ['index.html', 'app.css', 'icon.svg']) copyFileSync(new URL(file, source), new URL(file, target));
await build({
  entryPoints: [new URL('src/main.js', source).pathname],
  outfile: new URL('app.js', target).pathname,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
