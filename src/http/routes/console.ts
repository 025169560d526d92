import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Where `npm run build:web` writes the console. Both this file (src/http/routes, run by tsx) and
 * its build (dist/http/routes) sit three folders below the repository root.
 */
export const defaultConsoleDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface ConsoleRouteOptions {
  /** The built console (index.html and assets/); `defaultConsoleDir` unless a test says otherwise. */
  readonly dir?: string;
}

/**
 * The console is a single-page app that talks to the API with the user's token and loads nothing
 * from elsewhere, so the policy allows this origin only. Inline script is never allowed: an
 * incident title or an alert label is attacker-controlled text.
 */
export const consoleSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Paths the API owns. An unknown one stays the API's JSON 404 instead of becoming the console's page. */
const apiPath = /^\/(?:api|v2|healthz|readyz|metrics)(?:\/|$)|^\/openapi\.json$/;

/** A last path segment with an extension asks for a file (a script, a stylesheet, an icon), not a page. */
const filePath = /\/[^/]*\.[A-Za-z0-9]+$/;

const notBuiltPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Vigil: the console is not built</title></head>
<body>
<h1>The Vigil console is not built</h1>
<p>The API works: see <a href="/openapi.json">/openapi.json</a>.</p>
<p>To get the web console, build it and restart the server:</p>
<pre>npm run build:web     # or npm run build, which npm start runs</pre>
</body>
</html>
`;

/**
 * Serves the web console (web/dist) at `/`: its files, and index.html for any other page path so
 * that links such as `/incidents/INC-3` work when opened directly. Registered after the API, it
 * only answers GET paths that no API route matched, and hands API-looking ones back to the 404
 * handler. When the console is not built (tests, a checkout without `npm run build`), pages
 * answer a short note saying how to build it.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRouteOptions = {}): Promise<void> {
  const dir = options.dir ?? defaultConsoleDir;
  const indexFile = join(dir, 'index.html');

  const sendPage = async (reply: FastifyReply): Promise<FastifyReply> => {
    reply.headers(consoleSecurityHeaders).header('cache-control', 'no-cache');
    const built = await access(indexFile).then(
      () => true,
      () => false,
    );
    if (!built) return reply.type('text/html; charset=utf-8').send(notBuiltPage);
    // The page names the current hashed assets: always revalidate it.
    return reply.sendFile('index.html', { cacheControl: false });
  };

  await app.register(async (scope) => {
    // serve: false: the routes below decide what is a file and what is a page.
    await scope.register(fastifyStatic, { root: dir, serve: false, index: false, wildcard: false });

    scope.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
    scope.get('/*', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (apiPath.test(path)) return reply.callNotFound();
      if (!filePath.test(path)) return sendPage(reply);
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return reply.callNotFound();
      }
      reply.headers(consoleSecurityHeaders);
      // Vite names the files under assets/ by their content hash: they never change.
      if (decoded.startsWith('/assets/')) return reply.sendFile(decoded, { maxAge: '365d', immutable: true });
      return reply.sendFile(decoded, { maxAge: 0 });
    });
  });
}
