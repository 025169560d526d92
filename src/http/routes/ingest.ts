import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AlertEvent, AlertSource } from '../../core/alert.js';
import type { Integration } from '../../core/access.js';
import type { EventResult } from '../../correlate/correlator.js';
import { alertmanagerEvents, alertmanagerWebhookSchema } from '../../ingest/alertmanager.js';
import { fortaEvents, fortaFindingsSchema } from '../../ingest/forta.js';
import { genericAlertsSchema, genericEvents } from '../../ingest/generic.js';
import { integrationKey } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';

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
  const typed = app.withTypeProvider<ZodTypeProvider>();

  async function ingest(source: AlertSource, integration: Integration, events: readonly AlertEvent[]) {
    const results = await deps.vigil.ingest(integration, events);
    for (const r of results) deps.metrics.alertsIngested.inc({ source, outcome: r.outcome });
    return accepted(results);
  }

  typed.post(
    '/api/v1/integrations/alertmanager',
    {
      schema: {
        summary: 'Receive a Prometheus Alertmanager webhook (version 4)',
        tags: ['ingest'],
        security,
        querystring: keyQuery,
        body: alertmanagerWebhookSchema,
      },
      preValidation: async (request) => {
        request.integration = await deps.auth.requireIntegration(integrationKey(request), 'alertmanager');
      },
    },
    async (request) => ingest('alertmanager', request.integration!, alertmanagerEvents(request.body, context(deps))),
  );

  typed.post(
    '/api/v1/findings',
    {
      schema: {
        summary: 'Receive Forta findings: one, an array, or { findings: [...] }',
        tags: ['ingest'],
        security,
        querystring: keyQuery,
        body: fortaFindingsSchema,
      },
      preValidation: async (request) => {
        request.integration = await deps.auth.requireIntegration(integrationKey(request), 'forta');
      },
    },
    async (request) => ingest('forta', request.integration!, fortaEvents(request.body, context(deps))),
  );

  typed.post(
    '/api/v1/alerts',
    {
      schema: {
        summary: 'Receive generic JSON alerts: one or an array',
        tags: ['ingest'],
        security,
        querystring: keyQuery,
        body: genericAlertsSchema,
      },
      preValidation: async (request) => {
        request.integration = await deps.auth.requireIntegration(integrationKey(request), 'generic');
      },
    },
    async (request) => ingest('generic', request.integration!, genericEvents(request.body, context(deps))),
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
