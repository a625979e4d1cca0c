/**
 * Calls to this server's REST API with the bearer token of the sign-in page.
 * The token lives in sessionStorage (gone when the tab closes) and travels
 * only in the Authorization header, never in a URL.
 */
const TOKEN_KEY = 'claude-worker.token';

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(extra = {}) {
  const token = storedToken();
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/** An answer the API refused, with its stable code, message and (for validation) the issues per field. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error?.code ?? 'server_error';
    this.issues = body?.error?.issues ?? [];
  }
}

/** Listeners told when the API wants a (new) token: the app shows the sign-in page. */
const unauthorizedListeners = new Set();

export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function errorOf(response) {
  const body = await response.json().catch(() => null);
  const error = new ApiError(response.status, body);
  if (response.status === 401) for (const listener of [...unauthorizedListeners]) listener(error);
  return error;
}

/** JSON in, JSON (or text with `text: true`) out; throws ApiError for any non-2xx answer. */
export async function api(path, { method = 'GET', body, text = false, signal } = {}) {
  const response = await fetch(path, {
    method,
    headers: authHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  return text ? response.text() : response.json();
}
