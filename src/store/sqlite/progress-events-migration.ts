/**
 * The SQLite schema step of live progress (see migrations.ts): a
 * `task.progress` event in the outbox when a running task's last action
 * changes. Like every released step, never edited.
 */
import type { Migration } from '../migration.js';

export const PROGRESS_EVENTS_STEP: Migration = {
  name: 'progress events: the last action of a running task, live in the event stream',
  // The runner writes a task's progress at most every 250 ms; each write
  // that changes the last action replaces the task's previous progress event
  // (a follower wants the latest action, not every one), so the outbox holds
  // at most one per running task, and none once the task has ended. Webhooks
  // never get them: the fan-out takes only the webhook types.
  sql: `
    CREATE TRIGGER events_task_progress AFTER UPDATE OF last_action_cache ON tasks
      WHEN NEW.status = 'running' AND NEW.last_action_cache IS NOT OLD.last_action_cache
    BEGIN
      DELETE FROM events WHERE task_id = NEW.id AND type = 'task.progress';
      INSERT INTO events (at, type, task_id, orchestration_id, data)
      VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'task.progress', NEW.id, NEW.orchestration_id,
              json_object('last_action', NEW.last_action_cache));
    END;

    CREATE TRIGGER events_task_progress_ended AFTER UPDATE OF status ON tasks
      WHEN OLD.status = 'running' AND NEW.status IS NOT 'running'
    BEGIN
      DELETE FROM events WHERE task_id = NEW.id AND type = 'task.progress';
    END;
  `,
};
