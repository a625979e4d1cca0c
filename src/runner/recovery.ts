/**
 * Startup recovery: a runner that died (kill -9, power loss, OOM) leaves its
 * tasks `running`. On start, every runner looks at this host's running
 * attempts, and for each whose owner is gone (another boot, or a dead or
 * recycled pid) it kills what is left of the agent's process group and hands
 * the task back (re-queued while attempts remain, else failed with the
 * reason). Owners on other hosts are left to lease expiry and the reaper.
 */
import { bootId, isSameProcessAlive } from '../host/identity.js';
import { isGroupAlive, killGroup } from '../host/process-group.js';
import type { RunningAttempt, TaskStore, WorkerIdentity } from '../store/task-store.js';

export async function recoverHostOrphans(
  store: TaskStore,
  me: WorkerIdentity,
  warn: (message: string) => void,
): Promise<number[]> {
  const recovered: number[] = [];
  for (const attempt of await store.runningAttemptsOnHost(me.host)) {
    if (attempt.worker.id === me.id || ownerIsAlive(attempt)) continue;
    if (attempt.worker.bootId === bootId()) await killLeftoverAgent(attempt);
    const reason =
      attempt.worker.bootId === bootId()
        ? `the runner process (pid ${attempt.worker.pid}) that ran it stopped`
        : 'the machine restarted while it ran';
    // Re-queued at once: a restart is not a reason to make the task wait.
    if (await store.abandon(attempt.lease, reason, 0)) recovered.push(attempt.lease.taskId);
  }
  if (recovered.length > 0) warn(`recovered task(s) ${recovered.join(', ')} left running by a stopped runner`);
  return recovered;
}

function ownerIsAlive(attempt: RunningAttempt): boolean {
  return attempt.worker.bootId === bootId() && isSameProcessAlive(attempt.worker.pid, attempt.worker.procStartTime);
}

/**
 * The agent ran as the leader of its own process group. While any member of
 * that group lives, the kernel does not hand its id to a new process, so a
 * live group with that id is ours to kill, unless the leader's pid now
 * belongs to a different process (the group died and the id was reused).
 */
async function killLeftoverAgent(attempt: RunningAttempt): Promise<void> {
  const agent = attempt.agent;
  if (!agent || !isGroupAlive(agent.pgid)) return;
  const leaderRecycled =
    agent.procStartTime !== null && !isSameProcessAlive(agent.pid, agent.procStartTime) && isSameProcessAlive(agent.pid, null);
  if (!leaderRecycled) await killGroup(agent.pgid);
}
