/**
 * Placeholder: the TaskService over a local store (implementation in progress).
 * Signature that the server and MCP use:
 */
import type { Config } from '../core/config.js';
import type { TaskLogs } from '../logs/task-logs.js';
import type { TaskStore } from '../store/task-store.js';
import type { TaskService } from './task-service.js';

export interface LocalTaskServiceOptions {
  store: TaskStore;
  logs: TaskLogs;
  config: Pick<Config, 'maxWorkers' | 'permissionMode' | 'defaultTimeoutSeconds' | 'maxAttempts'>;
}

export function createLocalTaskService(_options: LocalTaskServiceOptions): TaskService {
  throw new Error('not implemented yet');
}
