import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { presentSuppression } from '../present.js';

const security = [{ bearer: [] }];

/** Analyst feedback: verdicts on alerts, precision per detector and rule, and suppressions. */
export function feedbackRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/alerts/:id/feedback',
    {
      schema: {
        summary: 'Label an alert a true or a false positive',
        tags: ['feedback'],
        security,
        params: z.object({ id: z.string().min(1).max(64) }),
        body: z.object({ verdict: z.enum(['true_positive', 'false_positive']), note: z.string().min(1).max(2000).optional() }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { verdict, note } = request.body;
      const result = await vigil.label({ alertId: request.params.id, verdict, actor, ...(note === undefined ? {} : { note }) });
      return reply.status(201).send({
        feedback: { id: result.feedback.id, alertId: result.feedback.alertId, detector: result.feedback.detector, rule: result.feedback.rule, entity: result.feedback.entity, verdict: result.feedback.verdict },
        suppression: result.suppression === null ? null : presentSuppression(result.suppression),
        lifted: result.lifted === null ? null : presentSuppression(result.lifted),
      });
    },
  );

  typed.get('/api/v1/feedback/precision', { schema: { summary: 'Precision per detector and rule, from the latest verdict on each alert', tags: ['feedback'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    const rows = await vigil.store.read.precision();
    return {
      detectors: rows.map((r) => ({ ...r, precision: r.truePositives + r.falsePositives === 0 ? null : r.truePositives / (r.truePositives + r.falsePositives) })),
    };
  });

  typed.get(
    '/api/v1/suppressions',
    { schema: { summary: 'Suppressions learned from feedback', tags: ['feedback'], security, querystring: z.object({ all: z.enum(['true', 'false']).default('false') }) } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const list = await vigil.store.read.listSuppressions({ includeRevoked: request.query.all === 'true' });
      return { suppressions: list.map(presentSuppression) };
    },
  );

  typed.post(
    '/api/v1/suppressions/:id/revoke',
    {
      schema: {
        summary: 'Lift a suppression: the detector sees the entity again',
        tags: ['feedback'],
        security,
        params: z.object({ id: z.string().min(1).max(64) }),
        body: z.object({ reason: z.string().min(1).max(2000).optional() }).nullish(),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const reason = request.body?.reason;
      const revoked = await vigil.revokeSuppression({ suppressionId: request.params.id, actor, ...(reason === undefined ? {} : { reason }) });
      return { suppression: presentSuppression(revoked) };
    },
  );
}
