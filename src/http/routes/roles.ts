import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import { incidentRoles, parseIncidentRole, type IncidentRole } from '../../core/incident-role.js';
import { findIncident } from '../../respond/incident-actions.js';
import { currentAssignments } from '../../respond/roles/role-holders.js';
import type { HttpDeps } from '../http-deps.js';
import { iso, presentIncident, presentRoleAssignment } from '../present.js';

const security = [{ bearer: [] }];
const idParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, or short id such as INC-42') });
const roleParams = idParams.extend({ role: z.string().min(1).max(64).describe(`One of ${incidentRoles.join(', ')}, or an alias (ic, comms, tech, ...)`) });
const person = z.string().min(1).max(200).describe('A person handle, as on-call schedules use (alice)');

function role(text: string): IncidentRole {
  const parsed = parseIncidentRole(text);
  if (parsed === undefined) {
    throw new VigilError('VALIDATION_FAILED', `no role ${text}; roles: ${incidentRoles.join(', ')}`, { details: [{ path: 'role', message: `one of ${incidentRoles.join(', ')}` }] });
  }
  return parsed;
}


/** An incident's roles: who holds what now, the history, and assign, hand over, release. */
export function roleRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get(
    '/api/v1/incidents/:id/roles',
    { schema: { summary: "An incident's current role holders and the history of who held what", tags: ['roles'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      const all = await vigil.store.read.listRoleAssignments(incident.id);
      return {
        incidentId: incident.id,
        current: currentAssignments(all).map((a) => ({ role: a.role, person: a.person, since: iso(a.assignedAt) })),
        history: all.map(presentRoleAssignment),
      };
    },
  );

  typed.put(
    '/api/v1/incidents/:id/roles/:role',
    {
      schema: {
        summary: 'Assign a role, handing it over from its current holder (technical specialists are added)',
        tags: ['roles'],
        security,
        params: roleParams,
        body: z.object({ person }),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const result = await vigil.store.write((tx) => vigil.roles.assign(tx, { ref: request.params.id, role: role(request.params.role), person: request.body.person, actor }));
      return { incident: presentIncident(result.incident), assignment: presentRoleAssignment(result.assignment), outcome: result.outcome, from: result.from };
    },
  );

  typed.delete(
    '/api/v1/incidents/:id/roles/:role',
    {
      schema: {
        summary: 'Release a role (name the person with ?person= when several technical specialists hold it)',
        tags: ['roles'],
        security,
        params: roleParams,
        querystring: z.object({ person: person.optional() }),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const { person: who } = request.query;
      const released = await vigil.store.write((tx) =>
        vigil.roles.release(tx, { ref: request.params.id, role: role(request.params.role), actor, ...(who === undefined ? {} : { person: who }) }),
      );
      return { assignment: presentRoleAssignment(released) };
    },
  );
}
