/** A unified diff (git diff) split into files and hunks, and shown with the per-file +/- counts from diff?stat=1. */
import { html } from './html.js';

/** [{ header, hunks: [{ header, lines }] }] from `git diff` text. */
export function parseUnifiedDiff(text) {
  const files = [];
  let file = null;
  let hunk = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      file = { header: line.slice('diff --git '.length), hunks: [] };
      files.push(file);
      hunk = null;
    } else if (file && line.startsWith('@@')) {
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
    } else if (hunk && line !== '\\ No newline at end of file') {
      hunk.lines.push(line);
    }
  }
  return files;
}

export function DiffView({ stat, text }) {
  const files = parseUnifiedDiff(text);
  return html`<div class="diff">
    <ul class="diff-files">
      ${stat.files.map(
        (file) =>
          html`<li>
            <code>${file.path}</code> <span class="added">+${file.insertions ?? '?'}</span>
            <span class="removed">−${file.deletions ?? '?'}</span>
          </li>`,
      )}
    </ul>
    ${files.map(
      (file) =>
        html`<details open class="diff-file">
          <summary><code>${file.header}</code></summary>
          ${file.hunks.map(
            (hunk) =>
              html`<pre
                class="hunk"
              ><span class="hunk-header">${`${hunk.header}\n`}</span>${hunk.lines.map((line) => html`<span class=${lineClass(line)}>${`${line}\n`}</span>`)}</pre>`,
          )}
        </details>`,
    )}
  </div>`;
}

function lineClass(line) {
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return '';
}
