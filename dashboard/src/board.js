/**
 * The board: every task, newest first, filterable by status and prompt text,
 * with counts per status and the queue state. It reads the tasks once and
 * then follows changes live through subscribe().
 */
import { Component } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, listTasks } from './api.js';
import { ErrorNote, StatusBadge } from './common.js';
import { cost, duration, elapsed, firstLine, STATUSES } from './format.js';
import { html } from './html.js';
import { QueuePauseNote } from './queue-pause.js';
import { subscribe } from './subscribe.js';

/** The board reads this many tasks at first; older ones come with "Show older". */
const FIRST_READ = 1000;
/**
 * Rows put on screen in the first render, then this many more per frame:
 * the first screenful shows at once, and a thousand rows never block the
 * page for long at a time.
 */
const ROWS_PER_FRAME = 100;

export function Board() {
  const [tasks, setTasks] = useState(null);
  const [more, setMore] = useState(false);
  const [health, setHealth] = useState(null);
  const [error, setError] = useState(null);
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');

  useEffect(() => {
    const reading = new AbortController();
    const read = async () => {
      try {
        const [page, state] = await Promise.all([listTasks(FIRST_READ, reading.signal), api('/health')]);
        setTasks(page.tasks);
        setMore(page.more);
        setHealth(state);
        setError(null);
      } catch (failure) {
        if (!reading.signal.aborted) setError(failure);
      }
    };
    // The queue state (running, pending, its pause) moves with the tasks and the queue's events; /health is one small read.
    const readHealth = () => api('/health', { signal: reading.signal }).then(setHealth, () => {});
    const unsubscribe = subscribe({
      onReady: read,
      onTask: (task) => {
        setTasks((current) => (current === null ? current : withTask(current, task)));
        readHealth();
      },
      // A new last action moves nothing in the queue: no /health read for it.
      onProgress: (task) => setTasks((current) => (current === null ? current : withTask(current, task))),
      onQueue: readHealth,
      onError: setError,
    });
    return () => {
      reading.abort();
      unsubscribe();
    };
  }, []);

  const [rowLimit, setRowLimit] = useState(ROWS_PER_FRAME);

  const counts = useMemo(() => countByStatus(tasks ?? []), [tasks]);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (tasks ?? []).filter(
      (task) => (!status || task.status === status) && (!needle || task.execution_prompt.toLowerCase().includes(needle)),
    );
  }, [tasks, status, search]);

  useEffect(() => {
    if (tasks === null) return;
    // For the benchmark: the first render with the tasks, and the last of the rows added frame by frame.
    if (performance.getEntriesByName('board-rendered').length === 0) performance.mark('board-rendered');
    if (rowLimit < shown.length) {
      const frame = requestAnimationFrame(() => setRowLimit((limit) => limit + ROWS_PER_FRAME));
      return () => cancelAnimationFrame(frame);
    }
    if (performance.getEntriesByName('board-complete').length === 0) performance.mark('board-complete');
  }, [tasks, shown, rowLimit]);

  const showOlder = async () => {
    try {
      const page = await listTasks(tasks.length + FIRST_READ);
      setTasks(page.tasks);
      setMore(page.more);
    } catch (failure) {
      setError(failure);
    }
  };

  return html`
    <section class="board">
      <h1>Tasks</h1>
      <${QueuePauseNote}
        pause=${health?.paused_until ? { paused_until: health.paused_until, reason: health.pause_reason } : null}
      />
      <${QueueState} health=${health} />
      <ul class="counts" aria-label="Tasks per status">
        ${STATUSES.map(
          (name) =>
            html`<li>
              <button
                type="button"
                class=${`count status-${name}`}
                aria-pressed=${status === name}
                data-status=${name}
                onClick=${() => setStatus(status === name ? '' : name)}
              >
                ${name} <span class="count-value">${counts[name]}</span>
              </button>
            </li>`,
        )}
      </ul>
      <label class="search">
        <span>Search prompts</span>
        <input type="search" value=${search} onInput=${(event) => setSearch(event.currentTarget.value)} />
      </label>
      <${ErrorNote} error=${error} />
      ${
        tasks === null
          ? html`<p class="muted">Loading…</p>`
          : html`<${TaskTable} tasks=${shown.slice(0, rowLimit)} />
              ${more && html`<button type="button" onClick=${showOlder}>Show older tasks</button>`}`
      }
    </section>
  `;
}

function QueueState({ health }) {
  if (!health) return null;
  const capacity = health.max_concurrency > 0 ? `${health.max_concurrency}` : 'no local worker';
  return html`<p class="queue-state">
    <span data-testid="running">${health.running}</span>${` running of ${capacity} · ${health.pending} pending`}
  </p>`;
}

function TaskTable({ tasks }) {
  if (tasks.length === 0) return html`<p class="muted">No tasks.</p>`;
  return html`<table class="tasks">
    <thead>
      <tr>
        <th scope="col">Id</th>
        <th scope="col">Status</th>
        <th scope="col">Prompt</th>
        <th scope="col">Directory · branch</th>
        <th scope="col">Last action</th>
        <th scope="col">Elapsed</th>
        <th scope="col">Cost</th>
      </tr>
    </thead>
    <tbody>
      ${tasks.map((task) => html`<${TaskRow} key=${task.id} task=${task} />`)}
    </tbody>
  </table>`;
}

/** A row renders again only when its task changed: adding rows or one task's change leaves the others alone. */
class TaskRow extends Component {
  shouldComponentUpdate(next) {
    return next.task !== this.props.task;
  }

  render({ task }) {
    return taskRow(task, Date.now());
  }
}

function taskRow(task, now) {
  return html`<tr data-task-id=${task.id} data-status=${task.status}>
    <td data-label="Id"><a href=${`#/tasks/${task.id}`}>#${task.id}</a></td>
    <td data-label="Status"><${StatusBadge} status=${task.status} /></td>
    <td data-label="Prompt" class="prompt">${firstLine(task.execution_prompt)}</td>
    <td data-label="Where" class="where">
      ${task.working_directory}${task.branch ? html` · <span class="branch">${task.branch}</span>` : null}
    </td>
    <td data-label="Last action" class="last-action">${task.last_action_cache ?? '–'}</td>
    <td data-label="Elapsed">${duration(elapsed(task, now))}</td>
    <td data-label="Cost">${cost(task.cost_usd)}</td>
  </tr>`;
}

/** The list with `task` put in its place: replaced when known, else added in id order (newest first). */
export function withTask(tasks, task) {
  const at = tasks.findIndex((known) => known.id <= task.id);
  if (at >= 0 && tasks[at].id === task.id) return tasks.map((known, i) => (i === at ? task : known));
  const next = [...tasks];
  next.splice(at < 0 ? next.length : at, 0, task);
  return next;
}

function countByStatus(tasks) {
  const counts = Object.fromEntries(STATUSES.map((name) => [name, 0]));
  for (const task of tasks) counts[task.status] += 1;
  return counts;
}
