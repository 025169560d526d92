import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AlertEvent } from '../../core/alert.js';
import type { Integration } from '../../core/access.js';
import type { EventResult } from '../../correlate/correlator.js';
import { alertmanagerEvents, alertmanagerWebhookSchema } from '../../ingest/alertmanager.js';
import { fortaEvents, fortaFindingsSchema } from '../../ingest/forta.js';
import { genericAlertsSchema, genericEvents } from '../../ingest/generic.js';
import { integrationKey } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import type { IngestContext } from '../../ingest/ingest-context.js';

const keyQuery = z.object({ key: z.string().optional().describe('The integration key, for senders that cannot set a header') });
const security = [{ bearer: [] }];

/** The answer to an accepted payload: what happened to each alert in it. */
function accepted(results: readonly EventResult[]) {
  return {
    status: 'accepted' as const,
    alerts: results.map((r) => ({ outcome: r.outcome, alertId: r.alertId, incidentId: r.incidentId })),
  };
}

/**
 * Ingest endpoints for Alertmanager, Forta and generic JSON. Each payload is applied in one write
 * unit and answered only after its commit, so a sender's retry after any failure is safe: the
 * dedup key folds it into the alert it already created.
 */
export function ingestRoutes(app: FastifyInstance, deps: HttpDeps): void {
  ingestRoute(app, deps, {
    url: '/api/v1/integrations/alertmanager',
    summary: 'Receive a Prometheus Alertmanager webhook (version 4)',
    source: 'alertmanager',
    body: alertmanagerWebhookSchema,
    events: alertmanagerEvents,
  });
  ingestRoute(app, deps, {
    url: '/api/v1/findings',
    summary: 'Receive Forta findings: one, an array, or { findings: [...] }',
    source: 'forta',
    body: fortaFindingsSchema,
    events: fortaEvents,
  });
  ingestRoute(app, deps, {
    url: '/api/v1/alerts',
    summary: 'Receive generic JSON alerts: one or an array',
    source: 'generic',
    body: genericAlertsSchema,
    events: genericEvents,
  });
}

/** One sender format: its schema, its mapper, and the integration kind its keys must have. */
interface IngestRoute<T> {
  readonly url: string;
  readonly summary: string;
  readonly source: 'alertmanager' | 'forta' | 'generic';
  readonly body: z.ZodType<T, unknown>;
  readonly events: (payload: T, ctx: IngestContext) => AlertEvent[];
}

function ingestRoute<T>(app: FastifyInstance, deps: HttpDeps, route: IngestRoute<T>): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    route.url,
    {
      schema: { summary: route.summary, tags: ['ingest'], security, querystring: keyQuery, body: route.body },
      preValidation: async (request) => {
        request.integration = await deps.auth.requireIntegration(integrationKey(request), route.source);
      },
    },
    async (request) => {
      const results = await deps.vigil.ingest(request.integration!, route.events(request.body as T, context(deps)));
      for (const r of results) deps.metrics.alertsIngested.inc({ source: route.source, outcome: r.outcome });
      return accepted(results);
    },
  );
}

export function context(deps: HttpDeps) {
  return { receivedAt: deps.vigil.clock.now(), ids: deps.vigil.ids };
}

declare module 'fastify' {
  interface FastifyRequest {
    integration?: Integration;
  }
}
