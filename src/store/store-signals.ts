/**
 * In-process wake-ups. They only reach code in this process: other processes
 * (a CLI submitting, another runner) are seen through the polling backstop
 * of `waitForWork` and through heartbeats.
 */
import type { TaskStatus } from '../core/task.js';

type Listener = (taskId: number) => void;

export class StoreSignals {
  private readonly workWaiters = new Set<() => void>();
  private readonly cancelListeners = new Set<Listener>();
  private readonly changeListeners = new Set<Listener>();

  /** A task became runnable, or will be after a delay (enqueue, release, retry). */
  workAvailable(): void {
    for (const wake of [...this.workWaiters]) wake();
  }

  cancelRequested(taskId: number): void {
    notify(this.cancelListeners, taskId);
  }

  taskChanged(taskId: number): void {
    notify(this.changeListeners, taskId);
  }

  /** A task moved to `status`: listeners hear of it, and idle claimers wake when it became runnable. */
  taskMoved(taskId: number, status: TaskStatus): void {
    this.taskChanged(taskId);
    if (status === 'pending') this.workAvailable();
  }

  tasksMoved(moves: readonly { taskId: number; status: TaskStatus }[]): void {
    for (const { taskId, status } of moves) this.taskMoved(taskId, status);
  }

  onCancelRequested(listener: Listener): () => void {
    return subscribe(this.cancelListeners, listener);
  }

  onTaskChanged(listener: Listener): () => void {
    return subscribe(this.changeListeners, listener);
  }

  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(wake, maxWaitMs);
      const waiters = this.workWaiters;
      waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
      function wake(): void {
        clearTimeout(timer);
        waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      }
    });
  }
}

function subscribe(listeners: Set<Listener>, listener: Listener): () => void {
  // Wrapped, so subscribing the same function twice gives two independent subscriptions.
  const entry: Listener = (taskId) => listener(taskId);
  listeners.add(entry);
  return () => listeners.delete(entry);
}

/**
 * Signals go out after the write committed. A listener that throws must not
 * turn that committed write into a rejected call (a runner would think its
 * result was not recorded), so its error is rethrown on its own.
 */
function notify(listeners: Set<Listener>, taskId: number): void {
  for (const listener of [...listeners]) {
    try {
      listener(taskId);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
