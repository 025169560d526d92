import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIncident } from '../../respond/incident-actions.js';
import { findEscalationPolicy } from '../../respond/escalation/escalation-service.js';
import { shortId } from '../../core/incident.js';
import type { HttpDeps } from '../http-deps.js';
import { presentEscalation, presentEscalationPolicy } from '../present-triage.js';

const security = [{ bearer: [] }];
const ref = z.object({ ref: z.string().min(1).max(200).describe('Policy id or name') });
const incidentRef = z.object({ id: z.string().min(1).max(200).describe('Incident id or short id (INC-42)') });

/**
 * Escalation policies (levels of people, schedules and channels with timeouts), the routing rules
 * that choose a policy per incident, and where an incident's escalation stands.
 */
export function escalationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.put(
    '/api/v1/escalation-policies',
    { schema: { summary: 'Create an escalation policy, or replace the one with the same name', tags: ['escalation'], security, body: z.record(z.string(), z.unknown()) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const stored = await vigil.store.write((tx) => vigil.escalations.putPolicy(tx, { definition: request.body, actor }));
      return { policy: presentEscalationPolicy(stored) };
    },
  );

  typed.get('/api/v1/escalation-policies', { schema: { summary: 'All escalation policies', tags: ['escalation'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { policies: (await vigil.store.read.listEscalationPolicies()).map(presentEscalationPolicy) };
  });

  typed.get('/api/v1/escalation-policies/:ref', { schema: { summary: 'One escalation policy', tags: ['escalation'], security, params: ref } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { policy: presentEscalationPolicy(await findEscalationPolicy(vigil.store.read, request.params.ref)) };
  });

  typed.delete(
    '/api/v1/escalation-policies/:ref',
    { schema: { summary: 'Delete an escalation policy no routing rule uses', tags: ['escalation'], security, params: ref } },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      await vigil.store.write((tx) => vigil.escalations.deletePolicy(tx, { ref: request.params.ref, actor }));
      return reply.status(204).send();
    },
  );

  typed.put(
    '/api/v1/escalation-routing',
    {
      schema: {
        summary: 'Replace the routing rules: the first rule whose match holds (services, severities, labels) chooses the policy',
        tags: ['escalation'],
        security,
        body: z.array(z.unknown()),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      return { routes: await vigil.store.write((tx) => vigil.escalations.putRoutes(tx, { routes: request.body, actor })) };
    },
  );

  typed.get('/api/v1/escalation-routing', { schema: { summary: 'The routing rules, in order', tags: ['escalation'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { routes: await vigil.store.read.getEscalationRoutes() };
  });

  typed.get(
    '/api/v1/incidents/:id/escalation',
    { schema: { summary: "Where an incident's escalation stands: policy, level, round, next timeout", tags: ['escalation'], security, params: incidentRef } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      const escalation = await vigil.store.read.getEscalation(incident.id);
      return { incident: shortId(incident), escalation: escalation === undefined ? null : presentEscalation(escalation) };
    },
  );
}
