import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';
import { consoleRoutes } from './console.js';

const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

/** A bare app with only the console, like buildHttpApp's 404 handler, over `dir`. */
async function consoleApp(dir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.url}`, details: [] } }));
  await consoleRoutes(app, { dir });
  await app.ready();
  return app;
}

describe('the console route', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-console-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('when the console is built', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      const dir = join(root, 'built');
      mkdirSync(join(dir, 'assets'), { recursive: true });
      writeFileSync(join(dir, 'index.html'), indexHtml);
      writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("vigil")');
      writeFileSync(join(root, 'secret.txt'), 'outside the console');
      app = await consoleApp(dir);
    });
    afterAll(() => app.close());

    it('serves index.html at / with a self-only Content-Security-Policy and no caching', async () => {
      const response = await app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toBe(indexHtml);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it('serves index.html for a page path such as /incidents/INC-3, so deep links work', async () => {
      const response = await app.inject({ method: 'GET', url: '/incidents/INC-3?tab=timeline' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(indexHtml);
    });

    it('serves hashed assets as immutable files with the security headers', async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/javascript/);
      expect(response.headers['cache-control']).toContain('immutable');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).toContain('vigil');
    });

    it('answers a missing file with the 404 handler, not with index.html', async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/index-gone.js' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });

    it('serves nothing outside its folder', async () => {
      for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).not.toBe(200);
        expect(response.body, url).not.toContain('outside the console');
      }
    });

    it('hands API paths it does not know to the 404 handler', async () => {
      for (const url of ['/api/v1/nothing-here', '/v2/nothing', '/healthz/extra', '/api']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.json(), url).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
    });
  });

  describe('when the console is not built', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await consoleApp(join(root, 'never-built'));
    });
    afterAll(() => app.close());

    it('answers / and page paths with a short page that says how to build it', async () => {
      for (const url of ['/', '/incidents/INC-3']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type'], url).toMatch(/^text\/html/);
        expect(response.body, url).toContain('npm run build:web');
        expect(response.headers['content-security-policy'], url).toContain("default-src 'self'");
      }
    });
  });

  describe('inside the whole HTTP app', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await testApi();
    });
    afterAll(() => api.close());

    it('answers / with an HTML page, built or not', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('does not shadow the API, health, metrics or the OpenAPI document', async () => {
      const incidents = await api.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${api.tokens.viewer}` } });
      expect(incidents.statusCode).toBe(200);
      expect(incidents.json()).toHaveProperty('incidents');

      const unauthenticated = await api.app.inject({ method: 'GET', url: '/api/v1/incidents' });
      expect(unauthenticated.statusCode).toBe(401);
      expect(unauthenticated.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

      const unknown = await api.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });

      expect((await api.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await api.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await api.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('vigil_');

      const openapi = await api.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(openapi.statusCode).toBe(200);
      const paths = Object.keys(openapi.json<{ paths: Record<string, unknown> }>().paths);
      expect(paths).toContain('/api/v1/incidents');
      expect(paths.some((path) => path === '/' || path.startsWith('/*'))).toBe(false);
    });

    it('leaves other methods to the API: an unknown POST is a JSON 404', async () => {
      const response = await api.app.inject({ method: 'POST', url: '/incidents/INC-3', payload: {} });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });
  });
});
