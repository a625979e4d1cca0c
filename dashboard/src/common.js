/** Small pieces several pages use. */
import { html } from './html.js';

export function StatusBadge({ status }) {
  return html`<span class="status status-${status}">${status}</span>`;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert"><strong>${error.code ?? 'error'}</strong>: ${error.message}</p>`;
}

/** The CLI command that does what a button does, to copy. */
export function CliCommand({ command }) {
  return html`<code class="cli" title="The same from the command line">$ ${command}</code>`;
}
