import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { integrationKinds, roles } from '../../core/access.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { normalisePerson } from '../../respond/roles/role-service.js';
import type { HttpDeps } from '../http-deps.js';

const security = [{ bearer: [] }];

/** Audit verification, and the admin's creation of tokens and integrations. */
export function adminRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get(
    '/api/v1/audit/verify',
    { schema: { summary: 'Walk the audit chain and report ok, or the first record that does not verify', tags: ['audit'], security } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      return verifyAuditChain(vigil.store.read);
    },
  );

  typed.post(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Create an API token; the secret is in this answer only',
        tags: ['access'],
        security,
        body: z.object({
          role: z.enum(roles as [string, ...string[]]),
          name: z.string().min(1).max(200),
          person: z.string().min(1).max(200).optional().describe('The person (handle) the token is issued to, for actions only they may take'),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      const { person } = request.body;
      const created = await vigil.createApiToken({ role: request.body.role as never, name: request.body.name, actor, ...(person === undefined ? {} : { person: normalisePerson(person) }) });
      return reply.status(201).send({ id: created.id, token: created.secret });
    },
  );

  typed.post(
    '/api/v1/integrations',
    {
      schema: {
        summary: 'Create an integration key for one sender kind and service; the key is in this answer only',
        tags: ['access'],
        security,
        body: z.object({
          kind: z.enum(integrationKinds as [string, ...string[]]),
          service: z.string().min(1).max(200),
          name: z.string().min(1).max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      const { kind, service, name } = request.body;
      const created = await vigil.createIntegration({ kind: kind as never, service, actor, ...(name === undefined ? {} : { name }) });
      return reply.status(201).send({ id: created.id, key: created.key });
    },
  );

  typed.get('/api/v1/integrations', { schema: { summary: 'List integrations (never their keys)', tags: ['access'], security } }, async (request) => {
    await auth.requireRole(request, 'admin');
    const integrations = await vigil.store.read.listIntegrations();
    return {
      integrations: integrations.map((i) => ({
        id: i.id,
        kind: i.kind,
        service: i.service,
        name: i.name,
        createdAt: new Date(i.createdAt).toISOString(),
        revokedAt: i.revokedAt === null ? null : new Date(i.revokedAt).toISOString(),
      })),
    };
  });
}
