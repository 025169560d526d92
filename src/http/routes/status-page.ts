import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isVigilError } from '../../core/errors.js';
import { statusSummary } from '../../respond/comms/status-summary.js';
import type { HttpDeps } from '../http-deps.js';
import { escapeHtml } from '../../notify/message-text.js';
import { renderStatusPage } from '../status-page-html.js';

/**
 * The public status pages, without authentication: `/status/{service}` as HTML and
 * `/status/{service}.json` in the shape of Statuspage's summary.json. They show only components
 * and what communications leads published.
 */
export function statusPageRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil } = deps;

  typed.get(
    '/status/:page',
    {
      schema: {
        summary: "A service's public status page: HTML, or Statuspage-style JSON when the name ends in .json",
        tags: ['status page'],
        params: z.object({ page: z.string().min(1).max(205).describe('The service name, with .json for JSON') }),
      },
    },
    async (request, reply) => {
      const json = request.params.page.endsWith('.json');
      const service = json ? request.params.page.slice(0, -'.json'.length) : request.params.page;
      // Public and cheap to serve again: let browsers and proxies keep it for a little while.
      void reply.header('cache-control', 'public, max-age=30');
      if (json) return statusSummary(vigil.store.read, { service, now: vigil.clock.now() });
      try {
        const summary = await statusSummary(vigil.store.read, { service, now: vigil.clock.now() });
        return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(renderStatusPage(summary));
      } catch (error) {
        if (!isVigilError(error, 'NOT_FOUND')) throw error;
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title><p>No status page for ${escapeHtml(service)}.</p></html>\n`);
      }
    },
  );
}
