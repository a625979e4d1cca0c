/** Submit → agent started, measured from the times the simulated agents record (see environment.ts). */
import { benchPrompt, preciseNow, readAgentTimes, sleep, type BenchHome } from './environment.js';

/** Submits one task at a time and waits for its agent to finish before the next, so every submit finds an idle system. */
export async function measureDoor(
  home: BenchHome,
  count: number,
  /** How long each simulated agent runs: the next submit waits that long after the last exit. */
  agentMs: number,
  door: string,
  submit: (prompt: string) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const marker = `${door}-${i}`;
    const submittedAt = preciseNow();
    await submit(benchPrompt(marker));
    const startedAt = await recorded(home.startsFile, marker);
    latencies.push(startedAt - submittedAt);
    await recorded(home.exitsFile, marker);
    await sleep(agentMs);
  }
  return latencies;
}

/** The time an agent recorded for `marker`, once it has (the agents write it to a file). */
export async function recorded(file: string, marker: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const at = readAgentTimes(file).get(marker);
    if (at !== undefined) return at;
    if (Date.now() > deadline) throw new Error(`no agent recorded ${marker} in ${file}`);
    await sleep(1);
  }
}
