/**
 * Agents run as leaders of process groups of their own, so that cancel and
 * timeout stop their whole tree. The flip side: nothing stops them when
 * their runner dies without doing it (kill -9, OOM, a crash, a forced exit),
 * and an orphaned agent would go on editing files while another node runs
 * its task again.
 *
 * The guard is a small watchdog process per runner. The runner tells it
 * which agent groups are alive, over a pipe whose writing end only the
 * runner holds. The kernel closes that end however the runner ends; when
 * the watchdog reads end-of-file without a goodbye first, it SIGKILLs every
 * group still on its list, then exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ClaudeWorkerError } from '../core/errors.js';

/** The watchdog could not be started: without it, agents of a runner that dies would keep running. */
export class OrphanGuardError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(message: string) {
    super(message);
    this.name = 'OrphanGuardError';
  }
}

// Plain JavaScript run with `node -e`: the same guard works from the build
// and from the sources under test. It ignores the signals a terminal or a
// service manager sends to stop things, so it outlives the runner it
// watches; only end-of-file (or SIGKILL) ends it.
const WATCHDOG_SOURCE = `
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});
const groups = new Set();
let partial = '';
let goodbye = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (partial + chunk).split('\\n');
  partial = lines.pop();
  for (const line of lines) {
    const [verb, pgid] = line.split(' ');
    if (verb === 'watch') groups.add(Number(pgid));
    else if (verb === 'unwatch') groups.delete(Number(pgid));
    else if (verb === 'bye') goodbye = true;
  }
});
process.stdin.on('end', () => {
  if (!goodbye) {
    for (const pgid of groups) {
      try { process.kill(-pgid, 'SIGKILL'); } catch {}
    }
  }
  process.exit(0);
});
process.stdout.write('ready\\n');
`;

export class OrphanGuard {
  private closed = false;

  private constructor(
    private readonly watchdog: ChildProcess,
    private readonly warn: (message: string) => void,
  ) {
    // A watchdog that died (killed by hand) must not take the runner with it:
    // the runner loses this protection and says so.
    watchdog.stdin!.on('error', (error) =>
      this.warn(`the orphan guard stopped (${error.message}); agents of a runner that dies now keep running`),
    );
  }

  /** Resolves once the watchdog is ready (its signal handlers in place): ~0.1 s. */
  static async start(warn: (message: string) => void): Promise<OrphanGuard> {
    const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      // Its own session: a Ctrl-C or a signal to the runner's group does not reach it.
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      watchdog.once('error', reject);
      watchdog.once('exit', (code) => reject(new OrphanGuardError(`the orphan guard exited at start (code ${code})`)));
      watchdog.stdout!.once('data', () => resolve());
    });
    watchdog.removeAllListeners('exit');
    watchdog.removeAllListeners('error');
    // Neither the process nor its pipes keep the runner's event loop alive.
    watchdog.unref();
    for (const pipe of [watchdog.stdin, watchdog.stdout]) (pipe as unknown as { unref(): void }).unref();
    return new OrphanGuard(watchdog, warn);
  }

  /** The watchdog's pid, for tests. */
  get pid(): number | undefined {
    return this.watchdog.pid;
  }

  /** Kill this group if the runner dies. */
  watch(pgid: number): void {
    this.send(`watch ${pgid}`);
  }

  /** The group is gone (its id may be handed out again): forget it. */
  unwatch(pgid: number): void {
    this.send(`unwatch ${pgid}`);
  }

  /** The runner has stopped its agents itself: the watchdog exits without killing anything. */
  close(): void {
    if (this.closed) return;
    this.send('bye');
    this.closed = true;
    this.watchdog.stdin!.end();
  }

  private send(line: string): void {
    if (!this.closed && this.watchdog.stdin!.writable) this.watchdog.stdin!.write(`${line}\n`);
  }
}
