import { describe, expect, it } from 'vitest';
import { TaskNotFoundError } from '../../src/core/errors.js';
import type { Task, TaskStatus } from '../../src/core/task.js';
import { clampWaitSeconds, MAX_WAIT_SECONDS, waitForTasks } from '../../src/service/wait-for-tasks.js';
import type { TaskService } from '../../src/service/task-service.js';

/** A service whose tasks follow a script: each get() of a task moves it one step along its statuses. */
function scriptedService(scripts: Record<number, TaskStatus[]>): TaskService & { gets: number } {
  const service = {
    gets: 0,
    async get(id: number): Promise<Task> {
      service.gets++;
      const script = scripts[id];
      if (!script) throw new TaskNotFoundError(id);
      const status = script.length > 1 ? script.shift()! : script[0]!;
      return { id, status } as Task;
    },
  };
  return service as unknown as TaskService & { gets: number };
}

describe('waitForTasks', () => {
  it("returns once every task is terminal, with each one's final state", async () => {
    const service = scriptedService({ 1: ['pending', 'running', 'completed'], 2: ['running', 'failed'] });
    const outcome = await waitForTasks(service.get, [1, 2], 30);
    expect(outcome.all_terminal).toBe(true);
    expect(outcome.tasks.map((task) => task.status)).toEqual(['completed', 'failed']);
    expect(service.gets).toBe(6);
  });

  it('returns at once, not terminal, when the timeout is zero', async () => {
    const outcome = await waitForTasks(scriptedService({ 1: ['running'] }).get, [1], 0);
    expect(outcome).toMatchObject({ all_terminal: false, tasks: [{ id: 1, status: 'running' }] });
  });

  it('stops waiting when the request is cancelled', async () => {
    const controller = new AbortController();
    const service = scriptedService({ 1: ['running'] });
    const waiting = waitForTasks(service.get, [1], 40, { signal: controller.signal });
    controller.abort();
    const outcome = await waiting;
    expect(outcome.all_terminal).toBe(false);
    expect(service.gets).toBeLessThanOrEqual(2);
  });

  it('fails with TaskNotFoundError for an unknown id', async () => {
    await expect(waitForTasks(scriptedService({}).get, [7], 5)).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('clamps the timeout below common client timeouts', () => {
    expect(clampWaitSeconds(3600)).toBe(MAX_WAIT_SECONDS);
    expect(MAX_WAIT_SECONDS).toBeLessThan(60);
    expect(clampWaitSeconds(-5)).toBe(0);
    expect(clampWaitSeconds(12)).toBe(12);
  });
});
