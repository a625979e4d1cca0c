/** The `query()` options for one run of a task. */
import type { Options, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import type { AgentRunRequest } from '../agent.js';

export interface RunWiring {
  /** The complete environment of the Claude Code process (it replaces the SDK's default copy of ours). */
  env: Readonly<Record<string, string | undefined>>;
  /** A Claude Code executable to run instead of the one bundled with the SDK. */
  executablePath: string | null;
  abortController: AbortController;
  spawn: (options: SpawnOptions) => SpawnedProcess;
}

export function buildQueryOptions(request: AgentRunRequest, wiring: RunWiring): Options {
  return {
    cwd: request.cwd,
    env: { ...wiring.env },
    // An omitted systemPrompt gives Claude Code an EMPTY one, not its own:
    // always ask for its preset, with the task's text appended.
    systemPrompt: {
      type: 'preset',
      preset: 'claude_code',
      ...(request.systemPrompt ? { append: request.systemPrompt } : {}),
    },
    permissionMode: request.permissionMode,
    ...(request.permissionMode === 'bypassPermissions' ? { allowDangerouslySkipPermissions: true } : {}),
    ...(request.model ? { model: request.model } : {}),
    ...(request.maxTurns ? { maxTurns: request.maxTurns } : {}),
    ...(request.maxBudgetUsd ? { maxBudgetUsd: request.maxBudgetUsd } : {}),
    ...(request.resumeSessionId ? { resume: request.resumeSessionId } : {}),
    ...(wiring.executablePath ? { pathToClaudeCodeExecutable: wiring.executablePath } : {}),
    abortController: wiring.abortController,
    spawnClaudeCodeProcess: wiring.spawn,
  };
}
