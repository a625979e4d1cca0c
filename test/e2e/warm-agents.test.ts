/**
 * Warm agents in a real server (the REAL Claude Code binary against the API
 * stand-in): after a task, the server keeps one Claude Code process parked
 * for the next (CLAUDE_WORKER_WARM_AGENTS, default 1), and the spare never outlives the server: neither a clean stop nor a
 * kill -9.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../src/host/process-group.js';
import { claudeChildrenOf } from '../support/claude-processes.js';
import { WRITTEN_CONTENT } from '../support/fake-anthropic-api.js';
import { startRealClaudeServer, type RealClaudeServer } from '../support/real-claude-server.js';
import { taskEnded } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let node: RealClaudeServer | null = null;

afterEach(async () => {
  await node?.dispose();
  node = null;
});

/** Runs one `[write:<file>]` task to the end and checks that it completed and wrote its file. */
async function runTask(server: RealClaudeServer, project: string, file: string): Promise<void> {
  const { task } = await server.server.client.submit({
    execution_prompt: `[write:${file}] Write the file.`,
    working_directory: project,
  });
  const ended = await taskEnded(server.server, task.id);
  expect(ended.status).toBe('completed');
  expect(await readFile(join(project, file), 'utf8')).toBe(WRITTEN_CONTENT);
}

/** The one Claude Code process the server keeps (parked or starting) once a task has ended. */
async function spareOf(server: RealClaudeServer): Promise<number> {
  const pid = server.server.child.pid!;
  const [spare] = await waitFor(
    () => {
      const children = claudeChildrenOf(pid);
      return children.length === 1 ? children : null;
    },
    { what: 'one spare Claude Code process of the server' },
  );
  return spare!;
}

describe('warm agents in a server', () => {
  it('keeps one spare between tasks, runs tasks alongside it, and stops it with the server', async () => {
    node = await startRealClaudeServer('cw-warm-server-', 2);
    const project = join(node.home, 'project');
    await mkdir(project);
    await runTask(node, project, 'first.txt');
    await spareOf(node);

    // Which process runs a task (the spare, when parked in time) is covered in test/agents/claude-code-warm.test.ts.
    await runTask(node, project, 'second.txt');
    const spare = await spareOf(node);

    expect(await node.server.stop()).toBe(0);
    expect(isGroupAlive(spare)).toBe(false);
  });

  it('leaves no spare behind when the server is killed', async () => {
    node = await startRealClaudeServer('cw-warm-kill-', 1);
    const project = join(node.home, 'project');
    await mkdir(project);
    await runTask(node, project, 'first.txt');
    const spare = await spareOf(node);

    node.server.child.kill('SIGKILL');
    // The spare reads end-of-file on its stdin, which only the server held, and exits by itself.
    await waitFor(() => !isGroupAlive(spare), { what: `the spare ${spare} to exit` });
  });
});
