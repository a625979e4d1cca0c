/**
 * The PostgreSQL schema step of the event outbox (see migrations.ts): the events
 * table, the triggers that write it, and the webhook deliveries made from it.
 * A module of its own for its size; like every released step, never edited.
 */
import type { Migration } from '../migration.js';

export const EVENTS_STEP: Migration = {
  name: 'events: the outbox of state changes, and webhook deliveries from it',
  // Triggers write the outbox, so every path that moves a task records its
  // event in its own transaction without a statement of its own. Readers
  // follow the outbox by id, so ids must grow in commit order: every event
  // is inserted under one transaction-level advisory lock, held to the
  // commit, and the task triggers are deferred to the commit so that no
  // transaction holds that lock while it waits for a row lock.
  sql: `
    ALTER TABLE tasks ADD COLUMN webhook_url text;
    ALTER TABLE orchestrations ADD COLUMN webhook_url text;

    -- The events of a task or orchestration go with it when retention deletes it.
    CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      type text NOT NULL,
      task_id bigint REFERENCES tasks (id) ON DELETE CASCADE,
      orchestration_id bigint REFERENCES orchestrations (id) ON DELETE CASCADE,
      data jsonb
    );
    CREATE INDEX events_task ON events (task_id) WHERE task_id IS NOT NULL;
    CREATE INDEX events_orchestration ON events (orchestration_id, type) WHERE orchestration_id IS NOT NULL;

    CREATE FUNCTION claude_worker_record_event(event_type text, event_task_id bigint, event_orchestration_id bigint,
                                               event_data jsonb) RETURNS bigint AS $$
    DECLARE
      new_id bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('claude_worker_events'));
      INSERT INTO events (type, task_id, orchestration_id, data)
      VALUES (event_type, event_task_id, event_orchestration_id, event_data)
      RETURNING id INTO new_id;
      RETURN new_id;
    END $$ LANGUAGE plpgsql;

    -- The end of an orchestration is the end of its last task; its status
    -- follows orchestrationStatus() in src/core/orchestration.ts. Under the
    -- events lock, the transactions that end two last tasks at once take
    -- turns here, and the second sees the first one's end.
    CREATE FUNCTION claude_worker_task_event() RETURNS trigger AS $$
    DECLARE
      orchestration_status text;
    BEGIN
      PERFORM claude_worker_record_event(
        CASE WHEN TG_OP = 'INSERT' THEN 'task.submitted' ELSE 'task.' || NEW.status END,
        NEW.id, NEW.orchestration_id, NULL);
      IF NEW.orchestration_id IS NULL OR NEW.status NOT IN ('completed', 'failed', 'cancelled', 'skipped')
         OR EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = NEW.orchestration_id
                                          AND status IN ('waiting', 'pending', 'running'))
         OR EXISTS (SELECT 1 FROM events WHERE orchestration_id = NEW.orchestration_id
                      AND type IN ('orchestration.completed', 'orchestration.failed', 'orchestration.cancelled')) THEN
        RETURN NULL;
      END IF;
      SELECT CASE
               WHEN o.cancel_requested_at IS NOT NULL THEN 'cancelled'
               WHEN EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = o.id AND status = 'failed') THEN 'failed'
               WHEN NOT EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = o.id AND status <> 'completed') THEN 'completed'
               WHEN o.budget_usd IS NOT NULL
                    AND (SELECT COALESCE(SUM(cost_usd), 0) FROM tasks WHERE orchestration_id = o.id) >= o.budget_usd THEN 'failed'
               ELSE 'cancelled' END
        INTO orchestration_status
        FROM orchestrations o WHERE o.id = NEW.orchestration_id;
      PERFORM claude_worker_record_event('orchestration.' || orchestration_status, NULL, NEW.orchestration_id, NULL);
      RETURN NULL;
    END $$ LANGUAGE plpgsql;

    CREATE CONSTRAINT TRIGGER events_task_submitted AFTER INSERT ON tasks
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION claude_worker_task_event();
    CREATE CONSTRAINT TRIGGER events_task_moved AFTER UPDATE OF status ON tasks
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION claude_worker_task_event();

    CREATE FUNCTION claude_worker_orchestration_event() RETURNS trigger AS $$
    BEGIN
      PERFORM claude_worker_record_event('orchestration.submitted', NULL, NEW.id, NULL);
      RETURN NULL;
    END $$ LANGUAGE plpgsql;

    CREATE CONSTRAINT TRIGGER events_orchestration_submitted AFTER INSERT ON orchestrations
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION claude_worker_orchestration_event();

    -- One row per event and receiver, made by the fan-out from the outbox.
    -- A sender leases a row by moving next_at past its lease and setting
    -- lease_token; it settles the row under that token.
    CREATE TABLE webhook_deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      url text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      next_at timestamptz NOT NULL DEFAULT now(),
      lease_token text,
      delivered_at timestamptz,
      given_up_at timestamptz,
      last_error text,
      UNIQUE (event_id, url)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at)
      WHERE delivered_at IS NULL AND given_up_at IS NULL;

    -- The last event the fan-out has made deliveries for (one row, made by the first fan-out).
    CREATE TABLE webhook_fan_out (
      id integer PRIMARY KEY CHECK (id = 1),
      last_event_id bigint NOT NULL
    );
  `,
};
