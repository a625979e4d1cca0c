/** The `query()` options for one run of a task, and the `prewarm()` and `claim()` options of a spare that runs it. */
import type { ClaimOptions, Options, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import type { AgentRunRequest } from '../agent.js';
import type { SpareSettings } from './spare-pool.js';

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

/**
 * What a spare (see spare-pool.ts) is started with: the part of
 * `buildQueryOptions` that a claim cannot change. The bundled executable
 * only: another one may not know how to park.
 */
export function buildSpareOptions(
  settings: SpareSettings,
  wiring: Pick<RunWiring, 'abortController'> & { spawnClaudeCodeProcess: RunWiring['spawn'] },
): Options {
  return {
    env: { ...settings.env },
    // The preset is fixed at start; the task's own text is appended by the claim.
    systemPrompt: { type: 'preset', preset: 'claude_code' },
    permissionMode: settings.permissionMode,
    ...(settings.permissionMode === 'bypassPermissions' ? { allowDangerouslySkipPermissions: true } : {}),
    ...(settings.model ? { model: settings.model } : {}),
    ...(settings.maxTurns ? { maxTurns: settings.maxTurns } : {}),
    ...(settings.maxBudgetUsd ? { maxBudgetUsd: settings.maxBudgetUsd } : {}),
    abortController: wiring.abortController,
    spawnClaudeCodeProcess: wiring.spawnClaudeCodeProcess,
  };
}

/** What a spare started with `spareSettings(request, env)` must be told to run `request`. */
export function buildClaimOptions(request: AgentRunRequest): ClaimOptions {
  return {
    cwd: request.cwd,
    permissionMode: request.permissionMode,
    ...(request.systemPrompt ? { appendSystemPrompt: request.systemPrompt } : {}),
  };
}

/** The settings of the spares that can run `request` in environment `env`. */
export function spareSettings(request: AgentRunRequest, env: RunWiring['env']): SpareSettings {
  return {
    env,
    model: request.model,
    maxTurns: request.maxTurns,
    maxBudgetUsd: request.maxBudgetUsd,
    permissionMode: request.permissionMode,
  };
}
