/**
 * A page whose module loads when it is first shown: the task page brings
 * the Markdown renderer and sanitizer, the submit form the YAML parser, and
 * together they are four fifths of the JavaScript. The board, the page
 * most visits start on, loads without them.
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote } from './common.js';
import { html } from './html.js';

/** `load()` resolves with the page's component. */
export function lazyPage(load) {
  let loaded = null;
  return function LazyPage(props) {
    const [Page, setPage] = useState(() => loaded);
    const [error, setError] = useState(null);
    useEffect(() => {
      if (Page) return;
      load().then((component) => {
        loaded = component;
        setPage(() => component);
      }, setError);
    }, []);
    if (error) return html`<${ErrorNote} error=${error} />`;
    return Page ? html`<${Page} ...${props} />` : html`<p class="muted">Loading…</p>`;
  };
}
