/** The Node.js this process runs on, against the package's `engines` range. */
import { readFileSync } from 'node:fs';
import { result, type Check } from './check.js';

/** `engines.node` of package.json, which sits one level above both src/ and dist/ (like version.ts reads it). */
function minimumNode(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  };
  return manifest.engines.node.replace(/^>=\s*/, '');
}

export function isAtLeast(version: string, minimum: string): boolean {
  const parse = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [have, want] = [parse(version), parse(minimum)];
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const difference = (have[i] ?? 0) - (want[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

export const checkNodeVersion: Check = async () => {
  const minimum = minimumNode();
  const version = process.versions.node;
  return isAtLeast(version, minimum)
    ? result('node', 'Node.js', 'ok', `${version} (needs ${minimum} or newer)`)
    : result(
        'node',
        'Node.js',
        'fail',
        `${version} is older than ${minimum}`,
        `Install Node.js ${minimum} or newer (e.g. the current LTS from nodejs.org, or with nvm: nvm install --lts).`,
      );
};
