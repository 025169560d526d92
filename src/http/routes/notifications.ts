import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboxStates } from '../../core/outbox-message.js';
import { findIncident } from '../../respond/incident-actions.js';
import type { HttpDeps } from '../http-deps.js';
import { presentChannel, presentOutboxMessage, presentPerson } from '../present-notifications.js';

const security = [{ bearer: [] }];
const handle = z.object({ handle: z.string().min(1).max(100).describe('The person’s handle, as schedules name them') });
const channelRef = z.object({ ref: z.string().min(1).max(200).describe('Channel id or name') });
const definition = z.record(z.string(), z.unknown());

/**
 * Notifications: people and their contact rules, team channels, and the outbox (dead letters
 * and their retry). Secrets never leave masked; only admins change anything.
 */
export function notificationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.put(
    '/api/v1/people/:handle',
    { schema: { summary: 'Create or replace a person: contact methods and contact rules', tags: ['notifications'], security, params: handle, body: definition } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const person = await vigil.store.write((tx) => vigil.notifications.putPerson(tx, { handle: request.params.handle, definition: request.body, actor }));
      return { person: presentPerson(person) };
    },
  );

  typed.get('/api/v1/people', { schema: { summary: 'Everyone who can be notified', tags: ['notifications'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { people: (await vigil.notifications.people(vigil.store.read)).map(presentPerson) };
  });

  typed.get('/api/v1/people/:handle', { schema: { summary: 'One person, secrets masked', tags: ['notifications'], security, params: handle } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { person: presentPerson(await vigil.notifications.person(vigil.store.read, request.params.handle)) };
  });

  typed.post(
    '/api/v1/channels',
    { schema: { summary: 'Create a team channel subscribed to services and severities', tags: ['notifications'], security, body: definition } },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      const channel = await vigil.store.write((tx) => vigil.notifications.createChannel(tx, { definition: request.body, actor }));
      return reply.status(201).send({ channel: presentChannel(channel) });
    },
  );

  typed.get('/api/v1/channels', { schema: { summary: 'All team channels', tags: ['notifications'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { channels: (await vigil.notifications.channels(vigil.store.read)).map(presentChannel) };
  });

  typed.get('/api/v1/channels/:ref', { schema: { summary: 'One team channel, secrets masked', tags: ['notifications'], security, params: channelRef } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { channel: presentChannel(await vigil.notifications.channel(vigil.store.read, request.params.ref)) };
  });

  typed.delete('/api/v1/channels/:ref', { schema: { summary: 'Delete a team channel', tags: ['notifications'], security, params: channelRef } }, async (request) => {
    const actor = await auth.requireRole(request, 'admin');
    const channel = await vigil.store.write((tx) => vigil.notifications.deleteChannel(tx, { ref: request.params.ref, actor }));
    return { channel: presentChannel(channel) };
  });

  typed.get(
    '/api/v1/notifications',
    {
      schema: {
        summary: 'Outbox messages, newest first; ?state=dead lists the dead letters',
        tags: ['notifications'],
        security,
        querystring: z.object({
          state: z.enum(outboxStates).optional(),
          incident: z.string().min(1).max(200).optional().describe('Incident id or INC-n'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const { state, incident, limit } = request.query;
      const incidentId = incident === undefined ? undefined : (await findIncident(vigil.store.read, incident)).id;
      const messages = await vigil.store.read.listOutboxMessages({ limit, ...(state === undefined ? {} : { states: [state] }), ...(incidentId === undefined ? {} : { incidentId }) });
      return { notifications: messages.map(presentOutboxMessage) };
    },
  );

  typed.post(
    '/api/v1/notifications/:id/retry',
    { schema: { summary: 'Put a dead (or cancelled) notification back in the outbox', tags: ['notifications'], security, params: z.object({ id: z.string().min(1).max(100) }) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const message = await vigil.store.write((tx) => vigil.notifications.retry(tx, { id: request.params.id, actor }));
      vigil.workers.kick();
      return { notification: presentOutboxMessage(message) };
    },
  );
}
