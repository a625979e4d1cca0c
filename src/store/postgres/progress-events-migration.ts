/**
 * The PostgreSQL schema step of live progress (see migrations.ts): a
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
  // never get them: the fan-out takes only the webhook types. Deferred to the
  // commit like the other task events, so the outbox lock is never held
  // while waiting for a row lock.
  sql: `
    CREATE FUNCTION claude_worker_task_progress_event() RETURNS trigger AS $$
    DECLARE
      new_id bigint;
    BEGIN
      new_id := claude_worker_record_event('task.progress', NEW.id, NEW.orchestration_id,
                                           jsonb_build_object('last_action', NEW.last_action_cache));
      DELETE FROM events WHERE task_id = NEW.id AND type = 'task.progress' AND id < new_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql;

    CREATE CONSTRAINT TRIGGER events_task_progress AFTER UPDATE OF last_action_cache ON tasks
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.status = 'running' AND OLD.last_action_cache IS DISTINCT FROM NEW.last_action_cache)
      EXECUTE FUNCTION claude_worker_task_progress_event();

    CREATE FUNCTION claude_worker_task_progress_ended() RETURNS trigger AS $$
    BEGIN
      DELETE FROM events WHERE task_id = NEW.id AND type = 'task.progress';
      RETURN NULL;
    END $$ LANGUAGE plpgsql;

    CREATE TRIGGER events_task_progress_ended AFTER UPDATE OF status ON tasks
      FOR EACH ROW WHEN (OLD.status = 'running' AND NEW.status IS DISTINCT FROM 'running')
      EXECUTE FUNCTION claude_worker_task_progress_ended();
  `,
};
