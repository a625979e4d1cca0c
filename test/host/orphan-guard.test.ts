/**
 * The orphan guard with real processes: a runner process (the built module,
 * so run `npm run build` first) watches detached process groups and is
 * killed with SIGKILL, as a runner is by the OOM killer or `kill -9`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { isProcessRunning } from '../../src/host/identity.js';
import { OrphanGuard } from '../../src/host/orphan-guard.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { waitFor } from '../support/wait.js';

const GUARD_MODULE = new URL('../../dist/host/orphan-guard.js', import.meta.url).href;

const leftovers: number[] = [];
afterEach(() => {
  for (const pgid of leftovers.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A process group of its own, like an agent's. */
function agentGroup(): number {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  child.unref();
  leftovers.push(child.pid!);
  return child.pid!;
}

/** A runner process that watches `watched`, watches and then forgets `forgotten`, and reports its guard's pid. */
async function runnerProcess(watched: number, forgotten: number): Promise<{ runner: ChildProcess; guardPid: number }> {
  const source = `
    const { OrphanGuard } = await import(${JSON.stringify(GUARD_MODULE)});
    const guard = await OrphanGuard.start((message) => console.error(message));
    guard.watch(${watched});
    guard.watch(${forgotten});
    guard.unwatch(${forgotten});
    console.log(guard.pid);
    setInterval(() => {}, 1 << 30);`;
  const runner = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: runner.stdout! }), 'line')) as [string];
  return { runner, guardPid: Number(line) };
}

it('kills the watched agent groups when its runner is killed, and only those', async () => {
  const watched = agentGroup();
  const forgotten = agentGroup();
  const { runner, guardPid } = await runnerProcess(watched, forgotten);
  // A service manager stopping the service sends SIGTERM to every process in it: the guard stays.
  process.kill(guardPid, 'SIGTERM');

  runner.kill('SIGKILL');
  await waitFor(() => !isGroupAlive(watched), { what: 'the watched group to be killed' });
  await waitFor(() => !isProcessRunning(guardPid), { what: 'the guard to exit' });
  expect(isGroupAlive(forgotten)).toBe(true);
});

it('exits without killing anything once the runner has said goodbye', async () => {
  const group = agentGroup();
  const guard = await OrphanGuard.start(() => undefined);
  guard.watch(group);
  guard.close();
  await waitFor(() => !isProcessRunning(guard.pid!), { what: 'the guard to exit' });
  expect(isGroupAlive(group)).toBe(true);
});
