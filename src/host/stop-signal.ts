/**
 * The first SIGTERM or SIGINT asks a long-running process to stop gracefully;
 * a second one exits at once (a stuck shutdown must never need `kill -9`).
 * Agents still running then die with the process (see orphan-guard.ts) and
 * their tasks are recovered like those of a crashed runner.
 */
export function waitForStopSignal(log: (line: string) => void, drainTimeoutSeconds = 0): Promise<NodeJS.Signals> {
  const plan =
    drainTimeoutSeconds > 0
      ? `running tasks may finish for up to ${drainTimeoutSeconds} s, then the rest go back to the queue`
      : 'running tasks go back to the queue';
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping; ${plan} (a second signal exits at once)`);
      process.off(signal === 'SIGTERM' ? 'SIGINT' : 'SIGTERM', stop);
      const force = (second: NodeJS.Signals) => {
        log(`${second}: exiting at once; running agents are killed and their tasks recovered later`);
        process.exit(1);
      };
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      resolve(signal);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
