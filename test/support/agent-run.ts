/** Running an Agent directly (no runner, no store) and keeping everything it reported. */
import type { Agent, AgentActivity, AgentRunRequest, AgentRunResult } from '../../src/agents/agent.js';
import type { AgentProcessInfo } from '../../src/store/task-store.js';

/** A complete request: acceptEdits, no limits, never aborted, unless overridden. */
export function agentRequest(
  fields: Pick<AgentRunRequest, 'prompt' | 'cwd' | 'env'> & Partial<AgentRunRequest>,
): AgentRunRequest {
  return {
    taskId: 1,
    attempt: 1,
    systemPrompt: null,
    model: null,
    permissionMode: 'acceptEdits',
    maxTurns: null,
    maxBudgetUsd: null,
    resumeSessionId: null,
    signal: new AbortController().signal,
    ...fields,
  };
}

export interface RecordedRun {
  /** Resolves with the run's result. */
  done: Promise<AgentRunResult>;
  /** Filled in as the run reports; complete once `done` resolves. */
  spawns: AgentProcessInfo[];
  messages: unknown[];
  activity: AgentActivity[];
  /** How often the agent said the model answered (once per run at most). */
  readonly modelAnswers: number;
  /** Resolves at the first activity line starting with `prefix` (e.g. `[init]`). */
  activityStarting(prefix: string): Promise<AgentActivity>;
}

export function recordRun(agent: Agent, request: AgentRunRequest): RecordedRun {
  const spawns: AgentProcessInfo[] = [];
  const messages: unknown[] = [];
  const activity: AgentActivity[] = [];
  const waiters: { prefix: string; resolve: (activity: AgentActivity) => void }[] = [];
  let modelAnswers = 0;
  const done = agent.run(request, {
    onSpawn: (info) => spawns.push(info),
    onMessage: (message) => messages.push(message),
    onActivity: (entry) => {
      activity.push(entry);
      for (const waiter of waiters.filter((w) => entry.line.startsWith(w.prefix))) waiter.resolve(entry);
    },
    onModelAnswered: () => (modelAnswers += 1),
  });
  return {
    done,
    spawns,
    messages,
    activity,
    get modelAnswers() {
      return modelAnswers;
    },
    activityStarting(prefix) {
      const seen = activity.find((entry) => entry.line.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve });
        done.then(() => reject(new Error(`the run ended without an activity line starting with ${prefix}`)), reject);
      });
    },
  };
}
