/**
 * Which command modules a command line needs. Each command module (its
 * definition and its action) is loaded only when its command runs: loading
 * every command costs most of the CLI's start (the YAML parser of
 * `orchestrate`, the schemas `run` checks input with, ...), and a command
 * typed all day should pay only for itself.
 *
 * Adding a command: one line in COMMANDS, under every top-level name its
 * module registers, in the order `--help` lists them.
 */
import type { Command } from 'commander';

export type CommandRegistration = (program: Command) => void;

type Loader = () => Promise<CommandRegistration>;

const cancel: Loader = async () => (await import('./commands/cancel.js')).registerCancelCommand;
const review: Loader = async () => (await import('./commands/review.js')).registerReviewCommands;
const completion: Loader = async () => (await import('./commands/completion.js')).registerCompletionCommand;

const COMMANDS: ReadonlyArray<readonly [name: string, load: Loader]> = [
  ['run', async () => (await import('./commands/run.js')).registerRunCommand],
  ['list', async () => (await import('./commands/list.js')).registerListCommand],
  ['status', async () => (await import('./commands/status.js')).registerStatusCommand],
  ['logs', async () => (await import('./commands/logs.js')).registerLogsCommand],
  ['cancel', cancel],
  ['cancel-orchestration', cancel],
  ['continue', async () => (await import('./commands/continue.js')).registerContinueCommand],
  ['wait', async () => (await import('./commands/wait.js')).registerWaitCommand],
  ['diff', review],
  ['merge', review],
  ['discard', review],
  ['open', review],
  ['orchestrate', async () => (await import('./commands/orchestrate.js')).registerOrchestrateCommand],
  ['orchestration-status', async () => (await import('./commands/orchestration-status.js')).registerOrchestrationStatusCommand],
  ['list-orchestrations', async () => (await import('./commands/list-orchestrations.js')).registerListOrchestrationsCommand],
  ['server', async () => (await import('./commands/server.js')).registerServerCommand],
  ['mcp', async () => (await import('./commands/mcp.js')).registerMcpCommand],
  ['worker', async () => (await import('./commands/worker.js')).registerWorkerCommand],
  ['workers', async () => (await import('./commands/workers.js')).registerWorkersCommand],
  ['resume', async () => (await import('./commands/resume.js')).registerResumeCommand],
  ['usage', async () => (await import('./commands/usage.js')).registerUsageCommand],
  ['dashboard', async () => (await import('./commands/dashboard.js')).registerDashboardCommand],
  ['doctor', async () => (await import('./commands/doctor.js')).registerDoctorCommand],
  ['completion', completion],
  ['__complete', completion],
];

/** Every command, for help and for the completion scripts, which cover them all. */
export function everyCommand(): Promise<CommandRegistration[]> {
  return Promise.all([...new Set(COMMANDS.map(([, load]) => load))].map((load) => load()));
}

/**
 * The registrations `args` (the command line after `claude-worker`) needs:
 * the named command's alone, none for `--version`, and every command for
 * `completion` (its scripts cover them all) and for anything else (help, no
 * command, a mistyped one, so that commander can list them and suggest the
 * closest).
 */
export async function commandsFor(args: readonly string[]): Promise<CommandRegistration[]> {
  // The program's own options (--version, --help) take no value, so the first word is the command.
  const first = args.find((arg) => !arg.startsWith('-'));
  if (first === undefined && args.some((arg) => arg === '-V' || arg === '--version')) return [];
  const named = COMMANDS.find(([name]) => name === first);
  if (named === undefined || first === 'completion') return everyCommand();
  return [await named[1]()];
}
