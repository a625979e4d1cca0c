/** How values read on the page. */
export const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled', 'skipped'];
export const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'skipped']);

export function cost(usd) {
  return usd === null || usd === undefined ? '–' : `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '–';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** Run time so far (running) or in total (ended); null before it started. */
export function elapsed(task, now = Date.now()) {
  if (!task.started_at) return null;
  const end = task.ended_at ? Date.parse(task.ended_at) : now;
  return end - Date.parse(task.started_at);
}

export function firstLine(text, max = 90) {
  const line = text.split('\n', 1)[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** A shell word: quoted unless it is plainly safe. */
export function shellWord(text) {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
