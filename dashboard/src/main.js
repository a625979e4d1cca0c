/**
 * The dashboard: pages chosen by the URL fragment (#/tasks/12), so every
 * page is one static document and a link can be shared without a token in it.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized, storeToken, storedToken } from './api.js';
import { Board } from './board.js';
import { html } from './html.js';
import { lazyPage } from './lazy-page.js';
import { OrchestrationList, OrchestrationPage } from './orchestration-page.js';
import { SignIn } from './sign-in.js';
import { WorkersPage } from './workers-page.js';

const TaskPage = lazyPage(() => import('./task-page.js').then((module) => module.TaskPage));
const SubmitPage = lazyPage(() => import('./submit-page.js').then((module) => module.SubmitPage));

const SIGN_IN = '#/sign-in';

function route(hash) {
  const path = hash.replace(/^#/, '') || '/';
  let match;
  if ((match = /^\/tasks\/(\d+)$/.exec(path))) return html`<${TaskPage} key=${path} id=${Number(match[1])} />`;
  if ((match = /^\/orchestrations\/(\d+)$/.exec(path))) return html`<${OrchestrationPage} key=${path} id=${Number(match[1])} />`;
  if (path === '/orchestrations') return html`<${OrchestrationList} />`;
  if (path === '/workers') return html`<${WorkersPage} />`;
  if (path === '/submit') return html`<${SubmitPage} />`;
  return html`<${Board} />`;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  // Where to go back to after signing in.
  const [returnTo, setReturnTo] = useState('#/');
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    const stopListening = onUnauthorized(() => {
      if (location.hash === SIGN_IN) return;
      setReturnTo(location.hash || '#/');
      storeToken(null);
      location.hash = SIGN_IN;
    });
    return () => {
      removeEventListener('hashchange', changed);
      stopListening();
    };
  }, []);
  const signedIn = storedToken() !== null;
  const nav = [
    ['#/', 'Board'],
    ['#/orchestrations', 'Orchestrations'],
    ['#/workers', 'Workers'],
    ['#/submit', 'Submit'],
  ];
  return html`<header class="top">
      <a class="brand" href="#/">claude-worker</a>
      <nav aria-label="Pages">
        ${nav.map(
          ([href, label]) => html`<a href=${href} aria-current=${isCurrent(hash, href) ? 'page' : undefined}>${label}</a>`,
        )}
        ${
          signedIn &&
          html`<button
            type="button"
            class="link"
            onClick=${() => {
              storeToken(null);
              location.hash = SIGN_IN;
            }}
          >
            Sign out
          </button>`
        }
      </nav>
    </header>
    <main id="main">
      ${hash === SIGN_IN ? html`<${SignIn} onSignedIn=${() => (location.hash = returnTo)} />` : route(hash)}
    </main>`;
}

function isCurrent(hash, href) {
  const path = hash || '#/';
  return href === '#/' ? path === '#/' || path.startsWith('#/tasks/') : path.startsWith(href);
}

render(html`<${App} />`, document.getElementById('app'));
