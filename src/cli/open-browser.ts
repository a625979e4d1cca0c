/**
 * Opens a URL in the user's browser, when there is one: $BROWSER (the first
 * of a colon-separated list, as the convention has it), else `open` on macOS
 * or `xdg-open` elsewhere. The browser runs on its own; a missing one is no
 * error, since the URL is printed anyway.
 */
import { spawn } from 'node:child_process';

export function browserCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const chosen = env.BROWSER?.split(':').find((entry) => entry.trim() !== '');
  if (chosen) return chosen.trim();
  return platform === 'darwin' ? 'open' : 'xdg-open';
}

/** Resolves true once the browser command started, false when it could not be. */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(browserCommand(env, process.platform), [url], { detached: true, stdio: 'ignore', env });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
