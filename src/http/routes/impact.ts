import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shortId } from '../../core/incident.js';
import { findIncident } from '../../respond/incident-actions.js';
import type { HttpDeps } from '../http-deps.js';
import { presentFact, presentImpact } from '../present-triage.js';

const security = [{ bearer: [] }];
const incidentRef = z.object({ id: z.string().min(1).max(200).describe('Incident id or short id (INC-42)') });

/** An incident's impact score with its breakdown, and the crypto facts responders record. */
export function impactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get(
    '/api/v1/incidents/:id/impact',
    { schema: { summary: 'The impact score: total, severity, and the breakdown of what each dimension contributed and from where', tags: ['triage'], security, params: incidentRef } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      const stored = await vigil.store.read.getImpactScore(incident.id);
      return { incident: shortId(incident), severity: incident.severity, impact: stored === undefined ? null : presentImpact(stored) };
    },
  );

  typed.get(
    '/api/v1/incidents/:id/facts',
    { schema: { summary: 'Transactions, addresses, funds movements, attackers and impact figures recorded for an incident', tags: ['triage'], security, params: incidentRef } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      return { incident: shortId(incident), facts: (await vigil.store.read.listIncidentFacts(incident.id)).map(presentFact) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/facts',
    {
      schema: {
        summary: 'Record a fact (kind: transaction, address, funds_movement, attacker, impact); the same transaction or address again updates it',
        tags: ['triage'],
        security,
        params: incidentRef,
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const fact = await vigil.store.write((tx) => vigil.facts.record(tx, { ref: request.params.id, fact: request.body, actor }));
      const incident = await findIncident(vigil.store.read, request.params.id);
      const stored = await vigil.store.read.getImpactScore(incident.id);
      return reply.status(201).send({ fact: presentFact(fact), severity: incident.severity, impact: stored === undefined ? null : presentImpact(stored) });
    },
  );
}
