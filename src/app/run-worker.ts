/**
 * `claude-worker worker`: runs tasks from the shared database without serving
 * HTTP, until SIGTERM or SIGINT (running tasks may finish for up to the drain
 * timeout, then go back to the queue). Several workers, on this machine or
 * others, can share one PostgreSQL database.
 */
import { describeDatabase, type Config } from '../core/config.js';
import { formatLabels } from '../core/labels.js';
import { waitForStopSignal } from '../host/stop-signal.js';
import { startLocalEngine } from './local-engine.js';

export async function runWorker(config: Config): Promise<void> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} claude-worker worker: ${line}\n`);
  const engine = await startLocalEngine(config, log);
  const labels = formatLabels(config.labels);
  log(
    `${config.workerName} running ${config.concurrency} task(s) at a time from ${describeDatabase(config.dbPath)} ` +
      `(pid ${process.pid}, labels ${labels || 'none'})`,
  );
  void engine.warmUp();
  await waitForStopSignal(log, config.drainTimeoutSeconds);
  await engine.stop();
  log('stopped');
}
