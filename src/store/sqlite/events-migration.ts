/**
 * The SQLite schema step of the event outbox (see migrations.ts): the events
 * table, the triggers that write it, and the webhook deliveries made from it.
 * A module of its own for its size; like every released step, never edited.
 */
import type { Migration } from '../migration.js';

export const EVENTS_STEP: Migration = {
  name: 'events: the outbox of state changes, and webhook deliveries from it',
  // Triggers write the outbox, so every path that moves a task (claims,
  // ends, reaps, cancels, a graph moving on) records its event in its own
  // transaction without a statement of its own. A trigger cannot see the
  // store's injected clock: \`at\` is the wall clock, and says only when.
  sql: `
    ALTER TABLE tasks ADD COLUMN webhook_url TEXT;
    ALTER TABLE orchestrations ADD COLUMN webhook_url TEXT;

    -- One writer at a time (BEGIN IMMEDIATE): ids grow in commit order.
    -- The events of a task or orchestration go with it when retention deletes it.
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      type TEXT NOT NULL,
      task_id INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
      orchestration_id INTEGER REFERENCES orchestrations (id) ON DELETE CASCADE,
      data TEXT
    );
    CREATE INDEX events_task ON events (task_id) WHERE task_id IS NOT NULL;
    CREATE INDEX events_orchestration ON events (orchestration_id, type) WHERE orchestration_id IS NOT NULL;

    CREATE TRIGGER events_task_submitted AFTER INSERT ON tasks
    BEGIN
      INSERT INTO events (at, type, task_id, orchestration_id)
      VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'task.submitted', NEW.id, NEW.orchestration_id);
    END;

    CREATE TRIGGER events_orchestration_submitted AFTER INSERT ON orchestrations
    BEGIN
      INSERT INTO events (at, type, orchestration_id)
      VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'orchestration.submitted', NEW.id);
    END;

    -- The end of an orchestration is the end of its last task; its status
    -- follows orchestrationStatus() in src/core/orchestration.ts.
    CREATE TRIGGER events_task_moved AFTER UPDATE OF status ON tasks WHEN OLD.status IS NOT NEW.status
    BEGIN
      INSERT INTO events (at, type, task_id, orchestration_id)
      VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'task.' || NEW.status, NEW.id, NEW.orchestration_id);
      INSERT INTO events (at, type, orchestration_id)
      SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
             'orchestration.' || CASE
               WHEN (SELECT cancel_requested_at FROM orchestrations WHERE id = NEW.orchestration_id) IS NOT NULL THEN 'cancelled'
               WHEN EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = NEW.orchestration_id AND status = 'failed') THEN 'failed'
               WHEN NOT EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = NEW.orchestration_id AND status <> 'completed')
                 THEN 'completed'
               WHEN (SELECT budget_usd FROM orchestrations WHERE id = NEW.orchestration_id)
                    <= (SELECT COALESCE(SUM(cost_usd), 0) FROM tasks WHERE orchestration_id = NEW.orchestration_id)
                 THEN 'failed'
               ELSE 'cancelled' END,
             NEW.orchestration_id
       WHERE NEW.orchestration_id IS NOT NULL
         AND NEW.status IN ('completed', 'failed', 'cancelled', 'skipped')
         AND NOT EXISTS (SELECT 1 FROM tasks WHERE orchestration_id = NEW.orchestration_id
                                               AND status IN ('waiting', 'pending', 'running'))
         AND NOT EXISTS (SELECT 1 FROM events WHERE orchestration_id = NEW.orchestration_id
                           AND type IN ('orchestration.completed', 'orchestration.failed', 'orchestration.cancelled'));
    END;

    -- One row per event and receiver, made by the fan-out from the outbox.
    -- A sender leases a row by moving next_at past its lease and setting
    -- lease_token; it settles the row under that token.
    CREATE TABLE webhook_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL,
      lease_token TEXT,
      delivered_at INTEGER,
      given_up_at INTEGER,
      last_error TEXT,
      UNIQUE (event_id, url)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at)
      WHERE delivered_at IS NULL AND given_up_at IS NULL;

    -- The last event the fan-out has made deliveries for (one row, made by the first fan-out).
    CREATE TABLE webhook_fan_out (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_event_id INTEGER NOT NULL
    );
  `,
};
