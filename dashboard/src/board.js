/**
 * The board: every task, newest first, filterable by status and prompt text,
 * with counts per status and the queue state. It reads the rows once (see
 * board-rows.js) and then follows changes live through subscribe().
 */
import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { countsWith, readRows, toRow, withRow } from './board-rows.js';
import { ErrorNote, StatusBadge } from './common.js';
import { cost, duration, elapsed, firstLine, STATUSES } from './format.js';
import { html } from './html.js';
import { QueuePauseNote } from './queue-pause.js';
import { subscribe } from './subscribe.js';

/**
 * Rows put on screen in the first render (more than a tall screen holds),
 * then ROWS_PER_FRAME more per frame: the first screenful shows at once,
 * and a thousand rows never block the page for long at a time.
 */
const FIRST_ROWS = 40;
const ROWS_PER_FRAME = 100;
/** A search waits for this pause in typing before it asks the server. */
const SEARCH_PAUSE_MS = 200;

export function Board() {
  // { rows, counts, cursor }: the newest rows read, the counts per status of every task, the next page's cursor.
  const [board, setBoard] = useState(null);
  const [health, setHealth] = useState(null);
  const [error, setError] = useState(null);
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const needle = search.trim();
  // The rows whose whole prompt holds `needle`, found by the server: { needle, rows }.
  const [found, setFound] = useState(null);
  const boardNow = useRef(null);
  boardNow.current = board;

  useEffect(() => {
    const reading = new AbortController();
    // Refused for want of a token: the page goes to sign-in, and the stream would be refused too.
    let refused = false;
    /** Reads the rows and the queue state; the newest event id then, or undefined when the read failed. */
    const read = async () => {
      try {
        const [page, state] = await Promise.all([readRows({ signal: reading.signal }), api('/health')]);
        setBoard(page);
        setHealth(state);
        setError(null);
        return page.lastEventId;
      } catch (failure) {
        refused = failure.status === 401;
        if (!reading.signal.aborted) setError(failure);
      }
    };
    const readCounts = () =>
      readRows({ limit: 1, signal: reading.signal }).then(
        ({ counts }) => setBoard((current) => current && { ...current, counts }),
        () => {},
      );
    /** The task's row as it is now; `moved`: its status may have changed, so the counts may too. */
    const show = (task, moved) => {
      const row = toRow(task);
      const known = boardNow.current;
      if (moved && known && countsWith(known.counts, known.rows, row) === null) readCounts();
      setBoard(
        (current) =>
          current && {
            ...current,
            rows: withRow(current.rows, row),
            counts: (moved && countsWith(current.counts, current.rows, row)) || current.counts,
          },
      );
      setFound((current) => current && foundWith(current, row, task));
    };
    // The queue state (running, pending, its pause) moves with the tasks and the queue's events; /health is one small read.
    const readHealth = () => api('/health', { signal: reading.signal }).then(setHealth, () => {});
    // The rows are read first and the stream follows from the event they were read at: the first
    // render waits for one request, not for the stream to open too. After a failed read, the stream
    // starts at its newest event, and the rows are read again once it is open.
    let unsubscribe = () => {};
    read().then((after) => {
      if (reading.signal.aborted || refused) return;
      unsubscribe = subscribe({
        after,
        onReady: read,
        onTask: (task) => {
          show(task, true);
          readHealth();
        },
        // A new last action moves nothing in the queue or the counts: no read for it.
        onProgress: (task) => show(task, false),
        onQueue: readHealth,
        onError: setError,
      });
    });
    return () => {
      reading.abort();
      unsubscribe();
    };
  }, []);

  // The rows read hold only the start of each prompt: a search asks the server, which looks through whole prompts.
  useEffect(() => {
    if (!needle) return setFound(null);
    const searching = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const { rows } = await readRows({ q: needle, signal: searching.signal });
        setFound({ needle, rows });
      } catch (failure) {
        if (!searching.signal.aborted) setError(failure);
      }
    }, SEARCH_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      searching.abort();
    };
  }, [needle]);

  const [rowLimit, setRowLimit] = useState(FIRST_ROWS);

  const shown = useMemo(() => {
    if (!board) return null;
    const lowered = needle.toLowerCase();
    // Until the server's answer comes, the rows whose start of the prompt matches.
    const rows = !needle
      ? board.rows
      : found?.needle === needle
        ? found.rows
        : board.rows.filter((row) => row.prompt_start.toLowerCase().includes(lowered));
    return rows.filter((row) => !status || row.status === status);
  }, [board, found, needle, status]);

  useEffect(() => {
    if (board === null) return;
    // For the benchmark: the first render with the tasks, and the last of the rows added frame by frame.
    if (performance.getEntriesByName('board-rendered').length === 0) performance.mark('board-rendered');
    if (rowLimit < shown.length) {
      const frame = requestAnimationFrame(() => setRowLimit((limit) => limit + ROWS_PER_FRAME));
      return () => cancelAnimationFrame(frame);
    }
    if (!needle && performance.getEntriesByName('board-complete').length === 0) performance.mark('board-complete');
  }, [board, shown, rowLimit, needle]);

  const showOlder = async () => {
    try {
      const older = await readRows({ cursor: board.cursor });
      setBoard((current) => ({ ...current, rows: [...current.rows, ...older.rows], cursor: older.cursor }));
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
                ${name} <span class="count-value">${board?.counts[name] ?? 0}</span>
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
        shown === null
          ? html`<p class="muted">Loading…</p>`
          : html`<${TaskTable} rows=${shown.slice(0, rowLimit)} />
              ${!needle && board.cursor && html`<button type="button" onClick=${showOlder}>Show older tasks</button>`}`
      }
    </section>
  `;
}

/** The search results with a task from the event stream: updated when listed, added when new and its whole prompt matches. */
function foundWith(found, row, task) {
  const listed = found.rows.some((known) => known.id === row.id);
  if (!listed && !task.execution_prompt.toLowerCase().includes(found.needle.toLowerCase())) return found;
  return { ...found, rows: withRow(found.rows, row) };
}

function QueueState({ health }) {
  if (!health) return null;
  const capacity = health.max_concurrency > 0 ? `${health.max_concurrency}` : 'no local worker';
  return html`<p class="queue-state">
    <span data-testid="running">${health.running}</span>${` running of ${capacity} · ${health.pending} pending`}
  </p>`;
}

function TaskTable({ rows }) {
  if (rows.length === 0) return html`<p class="muted">No tasks.</p>`;
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
      ${rows.map((row) => html`<${TaskRow} key=${row.id} row=${row} />`)}
    </tbody>
  </table>`;
}

/** A row renders again only when its task changed: adding rows or one task's change leaves the others alone. */
class TaskRow extends Component {
  shouldComponentUpdate(next) {
    return next.row !== this.props.row;
  }

  render({ row }) {
    return taskRow(row, Date.now());
  }
}

function taskRow(row, now) {
  return html`<tr data-task-id=${row.id} data-status=${row.status}>
    <td data-label="Id"><a href=${`#/tasks/${row.id}`}>#${row.id}</a></td>
    <td data-label="Status"><${StatusBadge} status=${row.status} /></td>
    <td data-label="Prompt" class="prompt">${firstLine(row.prompt_start)}</td>
    <td data-label="Where" class="where">
      ${row.working_directory}${row.branch ? html` · <span class="branch">${row.branch}</span>` : null}
    </td>
    <td data-label="Last action" class="last-action">${row.last_action_cache ?? '–'}</td>
    <td data-label="Elapsed">${duration(elapsed(row, now))}</td>
    <td data-label="Cost">${cost(row.cost_usd)}</td>
  </tr>`;
}
