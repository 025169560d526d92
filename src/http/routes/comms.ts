import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { updateAudiences } from '../../core/incident-update.js';
import { componentStatuses, statusPostStates } from '../../core/status-page.js';
import { findIncident } from '../../respond/incident-actions.js';
import type { HttpDeps } from '../http-deps.js';
import { presentIncidentUpdate, presentStatusComponent, presentStatusPost } from '../present.js';

const security = [{ bearer: [] }];
const idParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, or short id such as INC-42') });
const componentStatus = z.enum(componentStatuses as [string, ...string[]]);
const service = z.string().min(1).max(200);




/**
 * Communications: internal and stakeholder updates on an incident, the status page components
 * (admins), and status posts, which only the incident's communications lead may publish.
 */
export function commsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/incidents/:id/updates',
    {
      schema: {
        summary: 'Post an internal or stakeholder update (a stakeholder update restarts the reminder cadence)',
        tags: ['comms'],
        security,
        params: idParams,
        body: z.object({ audience: z.enum(updateAudiences as [string, ...string[]]), body: z.string().trim().min(1).max(10_000) }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const update = await vigil.store.write((tx) =>
        vigil.updates.post(tx, { ref: request.params.id, audience: request.body.audience as never, body: request.body.body, actor }),
      );
      return reply.status(201).send({ update: presentIncidentUpdate(update) });
    },
  );

  typed.get(
    '/api/v1/incidents/:id/updates',
    { schema: { summary: "An incident's internal and stakeholder updates, oldest first", tags: ['comms'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      return { updates: (await vigil.store.read.listIncidentUpdates(incident.id)).map(presentIncidentUpdate) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/status-posts',
    {
      schema: {
        summary: "Publish to the incident's public status page; only its communications lead may (403 NOT_COMMUNICATIONS_LEAD)",
        description: 'The caller is the person the API token was created for (`vigil token create --person alice`).',
        tags: ['comms'],
        security,
        params: idParams,
        body: z.object({
          title: z.string().trim().min(1).max(200).optional().describe('Public title; required on the first post, defaults to the previous one'),
          state: z.enum(statusPostStates as [string, ...string[]]),
          message: z.string().trim().min(1).max(5_000),
          components: z
            .array(z.object({ component: z.string().min(1).max(200).describe('Component id or name'), status: componentStatus.optional() }))
            .max(100)
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const { actor, person } = await auth.requirePerson(request, 'responder');
      const { title, state, message, components } = request.body;
      const post = await vigil.store.write((tx) =>
        vigil.statusPublisher.publish(tx, {
          ref: request.params.id,
          person,
          state: state as never,
          message,
          actor,
          ...(title === undefined ? {} : { title }),
          ...(components === undefined ? {} : { components: components.map((c) => ({ ref: c.component, ...(c.status === undefined ? {} : { status: c.status as never }) })) }),
        }),
      );
      return reply.status(201).send({ post: presentStatusPost(post) });
    },
  );

  typed.get(
    '/api/v1/incidents/:id/status-posts',
    { schema: { summary: 'The status posts published about an incident, oldest first', tags: ['comms'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      return { posts: (await vigil.store.read.listStatusPostsOfIncident(incident.id)).map(presentStatusPost) };
    },
  );

  typed.get(
    '/api/v1/status-components',
    { schema: { summary: 'Status page components, of one service or all', tags: ['comms'], security, querystring: z.object({ service: service.optional() }) } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      return { components: (await vigil.store.read.listStatusComponents(request.query.service)).map(presentStatusComponent) };
    },
  );

  typed.put(
    '/api/v1/status-components',
    {
      schema: {
        summary: 'Create a status page component, or change the one of the same service and name',
        tags: ['comms'],
        security,
        body: z.object({
          service,
          name: z.string().trim().min(1).max(200),
          description: z.string().max(1_000).optional(),
          status: componentStatus.optional(),
          position: z.number().int().min(0).max(10_000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      const { description, status, position, ...rest } = request.body;
      const { component, created } = await vigil.store.write((tx) =>
        vigil.statusComponents.put(tx, {
          ...rest,
          actor,
          ...(description === undefined ? {} : { description }),
          ...(status === undefined ? {} : { status: status as never }),
          ...(position === undefined ? {} : { position }),
        }),
      );
      return reply.status(created ? 201 : 200).send({ component: presentStatusComponent(component) });
    },
  );

  typed.delete(
    '/api/v1/status-components/:service/:component',
    { schema: { summary: 'Remove a status page component', tags: ['comms'], security, params: z.object({ service, component: z.string().min(1).max(200).describe('Component id or name') }) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const removed = await vigil.store.write((tx) => vigil.statusComponents.remove(tx, { service: request.params.service, ref: request.params.component, actor }));
      return { component: presentStatusComponent(removed) };
    },
  );
}
