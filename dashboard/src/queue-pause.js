/** The queue's pause in one line, as the board and the workers page show it. */
import { describeWhen } from '../../src/core/queue-pause.js';
import { html } from './html.js';

/** `pause` has `paused_until` and `reason` (from /health or /api/v1/workers); nothing shows without one. */
export function QueuePauseNote({ pause }) {
  if (!pause) return null;
  const until = new Date(pause.paused_until);
  const when =
    until.getTime() > Date.now()
      ? `paused until ${describeWhen(until).replace(/^at /, '')}`
      : 'paused: one task runs first, the others start once it gets through';
  return html`<p class="queue-pause" role="status">
    <strong>Queue ${when}</strong>: ${pause.reason}. <code>claude-worker resume</code> lifts the pause.
  </p>`;
}
