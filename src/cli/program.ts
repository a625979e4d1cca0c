/** The `claude-worker` program: every command and flag, as commander defines them. */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerCancelCommand } from './commands/cancel.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerContinueCommand } from './commands/continue.js';
import { registerDashboardCommand } from './commands/dashboard.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerListCommand } from './commands/list.js';
import { registerListOrchestrationsCommand } from './commands/list-orchestrations.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerOrchestrateCommand } from './commands/orchestrate.js';
import { registerOrchestrationStatusCommand } from './commands/orchestration-status.js';
import { registerResumeCommand } from './commands/resume.js';
import { registerReviewCommands } from './commands/review.js';
import { registerRunCommand } from './commands/run.js';
import { registerServerCommand } from './commands/server.js';
import { registerStatusCommand } from './commands/status.js';
import { registerUsageCommand } from './commands/usage.js';
import { registerWaitCommand } from './commands/wait.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerWorkersCommand } from './commands/workers.js';

export function buildProgram(): Command {
  const program = new Command('claude-worker')
    .description('Fire-and-forget task execution for Claude Code')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    // Throw instead of exiting, so usage errors get their own exit code below.
    .exitOverride()
    .addHelpText(
      'after',
      `
Environment:
  CLAUDE_WORKER_SERVER_URL  server to talk to (default http://127.0.0.1:8000); a local one is started when needed
  CLAUDE_WORKER_TOKEN       bearer token for a server that requires one
  CLAUDE_WORKER_HOME        database, logs and server files (default ~/.claude-worker)`,
    );
  registerRunCommand(program);
  registerListCommand(program);
  registerStatusCommand(program);
  registerLogsCommand(program);
  registerCancelCommand(program);
  registerContinueCommand(program);
  registerWaitCommand(program);
  registerReviewCommands(program);
  registerOrchestrateCommand(program);
  registerOrchestrationStatusCommand(program);
  registerListOrchestrationsCommand(program);
  registerServerCommand(program);
  registerMcpCommand(program);
  registerWorkerCommand(program);
  registerWorkersCommand(program);
  registerResumeCommand(program);
  registerUsageCommand(program);
  registerDashboardCommand(program);
  registerDoctorCommand(program);
  registerCompletionCommand(program);
  return program;
}
