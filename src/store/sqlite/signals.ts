/**
 * In-process wake-ups. They make the common case (server and runner in one
 * process) react at once; other processes rely on polling, and cancellation
 * on heartbeats, so a lost signal only costs latency.
 */
import { EventEmitter } from 'node:events';

export class StoreSignals {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every runner slot, log follower and waiter listens; no leak, just many listeners.
    this.emitter.setMaxListeners(0);
  }

  workAvailable(): void {
    this.emitter.emit('work');
  }

  cancelRequested(taskId: number): void {
    this.emitter.emit('cancel', taskId);
  }

  taskChanged(taskId: number): void {
    this.emitter.emit('changed', taskId);
  }

  onCancelRequested(listener: (taskId: number) => void): () => void {
    return this.subscribe('cancel', listener);
  }

  onTaskChanged(listener: (taskId: number) => void): () => void {
    return this.subscribe('changed', listener);
  }

  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off('work', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.emitter.once('work', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private subscribe(event: string, listener: (taskId: number) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
