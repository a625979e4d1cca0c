import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { UnauthorizedError, ValidationError } from '../../src/core/errors.js';
import { allowedHostsFor, assertSafeBind } from '../../src/server/security.js';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

const TOKEN = 's3cret-token-for-tests';
const fixtures: ApiFixture[] = [];

async function fixture(options: Parameters<typeof createApiFixture>[0] = {}): Promise<ApiFixture> {
  const api = await createApiFixture(options);
  fixtures.push(api);
  return api;
}

afterEach(async () => {
  for (const api of fixtures.splice(0)) await api.close();
});

/** A GET with headers fetch would not send (Host), over a real socket. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('binding', () => {
  it('refuses a non-loopback address without a token and says what to do', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'worker.example.com']) {
      let error: unknown;
      try {
        assertSafeBind(host, null);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]!.field).toBe('CLAUDE_WORKER_TOKEN');
      expect((error as ValidationError).message).toMatch(/Set CLAUDE_WORKER_TOKEN/);
    }
  });

  it('allows loopback without a token and anything with one', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.5']) expect(() => assertSafeBind(host, null)).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', TOKEN)).not.toThrow();
  });

  it('accepts the bind address, or every interface address for a wildcard bind, plus extra names', () => {
    expect(allowedHostsFor('10.1.2.3', ['proxy.example'])).toEqual(['10.1.2.3', 'proxy.example']);
    expect(allowedHostsFor('0.0.0.0', [])).toContain('127.0.0.1');
  });
});

describe('the bearer token', () => {
  it('is required on /api routes: missing or wrong is 401 with a Bearer challenge', async () => {
    const api = await fixture({ token: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer']) {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/tasks',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.statusCode, String(authorization)).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="claude-worker"');
      expect(response.json()).toMatchObject({
        error: { code: 'unauthorized', message: expect.stringContaining('CLAUDE_WORKER_TOKEN') },
      });
    }
  });

  it('is checked before the body is read, so nothing is created without it', async () => {
    const api = await fixture({ token: TOKEN });
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { execution_prompt: 'x', working_directory: api.dir },
    });
    expect(response.statusCode).toBe(401);
    expect((await api.service.list()).tasks).toEqual([]);
  });

  it('lets the right token through', async () => {
    const api = await fixture({ token: TOKEN });
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { execution_prompt: 'x', working_directory: api.dir },
    });
    expect(response.statusCode).toBe(201);
  });

  it('is asked of the client in its own terms, not as an HTTP header to send', async () => {
    const api = await fixture({ token: TOKEN });
    const baseUrl = await api.listen();
    const missing = await new ClaudeWorkerClient({ baseUrl, token: null }).list().catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(UnauthorizedError);
    expect((missing as Error).message).toBe(
      `The server at ${baseUrl} requires a token: set the client's token option to the token the server was started with.`,
    );
    const wrong = await new ClaudeWorkerClient({ baseUrl, token: 'wrong' }).list().catch((error: unknown) => error);
    expect((wrong as Error).message).toBe(
      `The server at ${baseUrl} refused the token: set the client's token option to the token the server was started with.`,
    );
  });

  it('is not needed for /health and /openapi.json', async () => {
    const api = await fixture({ token: TOKEN });
    expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });
});

describe('Host and Origin checks', () => {
  it('refuse a foreign Host (DNS rebinding) even on open routes', async () => {
    const api = await fixture();
    for (const host of ['evil.example', 'evil.example:8000', 'localhost.evil.example', 'evil@localhost']) {
      const response = await api.app.inject({ method: 'GET', url: '/health', headers: { host } });
      expect(response.statusCode, host).toBe(403);
      expect(response.json()).toMatchObject({
        error: { code: 'forbidden', message: expect.stringContaining('CLAUDE_WORKER_ALLOWED_HOSTS') },
      });
    }
  });

  it('accept names from the allowed list, with any port unless the entry names one', async () => {
    const api = await fixture({ allowedHosts: ['worker.example.com', 'proxy.local:9000'] });
    const status = async (host: string) =>
      (await api.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: { host } })).statusCode;
    expect(await status('worker.example.com')).toBe(200);
    expect(await status('WORKER.example.com:8443')).toBe(200);
    expect(await status('proxy.local:9000')).toBe(200);
    expect(await status('proxy.local:9001')).toBe(403);
  });

  it('accept loopback names only with the port the server listens on', async () => {
    const api = await fixture();
    const url = await api.listen();
    const port = new URL(url).port;
    expect((await rawGet(`${url}/health`, { host: `localhost:${port}` })).status).toBe(200);
    expect((await rawGet(`${url}/health`, { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await rawGet(`${url}/health`, { host: `[::1]:${port}` })).status).toBe(200);
    expect((await rawGet(`${url}/health`, { host: 'localhost:1' })).status).toBe(403);
  });

  it('refuse cross-origin browser requests and send no CORS headers', async () => {
    const api = await fixture();
    const url = await api.listen();
    const port = new URL(url).port;
    const host = `127.0.0.1:${port}`;
    for (const origin of ['http://evil.example', `http://localhost:3000`, 'null', `ftp://${host}`]) {
      const response = await rawGet(`${url}/api/v1/tasks`, { host, origin });
      expect(response.status, origin).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'forbidden' } });
    }
    const sameOrigin = await api.app.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { host: 'localhost:8000', origin: 'http://localhost:8000' },
    });
    expect(sameOrigin.statusCode).toBe(200);
    expect(Object.keys(sameOrigin.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await api.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/tasks',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});
