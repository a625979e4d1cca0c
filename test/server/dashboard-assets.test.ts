/**
 * The dashboard's page and assets as the server serves them: from the
 * package, with a Content-Security-Policy that allows no inline script,
 * open without the token (they hold no data) while its event stream needs it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

const TOKEN = 'dashboard-test-token';
let api: ApiFixture;

afterEach(async () => api?.close());

describe('the dashboard page', () => {
  it('is served at / with a policy that allows only its own scripts, styles and connections', async () => {
    api = await createApiFixture();
    const page = await api.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe');
    // Every script has a src (none inline), and every src and href is this server's own path.
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const references = [...page.body.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^\/assets\//);
    for (const reference of references) {
      expect((await api.app.inject({ method: 'GET', url: reference! })).statusCode).toBe(200);
    }
  });

  it('is open without the token, while its event stream and the API need it', async () => {
    api = await createApiFixture({ token: TOKEN });
    expect((await api.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    const script = await api.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(401);
  });

  it('serves no other file, and refuses a page load from another origin', async () => {
    api = await createApiFixture();
    for (const url of [
      '/assets/main.js',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/index.html',
      // A chunk's name, of no chunk this build made; and one that names a path.
      '/assets/chunk-NOTBUILT.js',
      '/assets/chunk-A%2F..%2F..%2Fpackage.json',
    ]) {
      expect((await api.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    const crossOrigin = await api.app.inject({ method: 'GET', url: '/', headers: { origin: 'http://evil.example' } });
    expect(crossOrigin.statusCode).toBe(403);
  });
});
