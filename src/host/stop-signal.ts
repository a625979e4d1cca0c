/**
 * The first SIGTERM or SIGINT asks a long-running process to stop gracefully;
 * a second one exits at once (a stuck shutdown must never need `kill -9`).
 */
export function waitForStopSignal(log: (line: string) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping; running tasks go back to the queue (a second signal exits at once)`);
      process.off(signal === 'SIGTERM' ? 'SIGINT' : 'SIGTERM', stop);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve(signal);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
