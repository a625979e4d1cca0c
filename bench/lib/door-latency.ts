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
  // The first task a process runs loads the Agent SDK (if its background warm-up has not yet) and
  // compiles the path a task takes: 400-600 ms more under load, once per process. These rows are
  // the cost of each task on a running server, so one task goes first unmeasured.
  await runOne(home, agentMs, `${door}-warm-up`, submit);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await runOne(home, agentMs, `${door}-${i}`, submit));
  return latencies;
}

/** Submits one task, waits for its agent to finish and the system to be idle again; returns submit → agent started. */
async function runOne(
  home: BenchHome,
  agentMs: number,
  marker: string,
  submit: (prompt: string) => Promise<void>,
): Promise<number> {
  const submittedAt = preciseNow();
  await submit(benchPrompt(marker));
  const startedAt = await recorded(home.startsFile, marker);
  await recorded(home.exitsFile, marker);
  await sleep(agentMs);
  return startedAt - submittedAt;
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
