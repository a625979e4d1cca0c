/** The sign-in page: takes the server's token, checks it with one API call, and keeps it for this tab only. */
import { useState } from 'preact/hooks';
import { api, storeToken } from './api.js';
import { ErrorNote } from './common.js';
import { html } from './html.js';

export function SignIn({ onSignedIn }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    storeToken(token.trim());
    try {
      await api('/api/v1/tasks?limit=1');
      onSignedIn();
    } catch (failure) {
      storeToken(null);
      setError(
        failure.status === 401
          ? { code: 'unauthorized', message: 'That token is not the one this server was started with.' }
          : failure,
      );
    }
  };
  return html`<form class="sign-in" onSubmit=${submit}>
    <h1>Sign in</h1>
    <p>
      This server needs its token (<code>CLAUDE_WORKER_TOKEN</code>). It is kept in this tab only and sent as a bearer header.
    </p>
    <label for="token">Token</label>
    <input
      id="token"
      type="password"
      autocomplete="current-password"
      value=${token}
      onInput=${(event) => setToken(event.currentTarget.value)}
    />
    <${ErrorNote} error=${error} />
    <button type="submit" disabled=${!token.trim()}>Sign in</button>
  </form>`;
}
