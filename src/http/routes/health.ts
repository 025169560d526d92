import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.js';

/** Liveness, readiness (the store answers) and Prometheus metrics; no credentials needed. */
export function healthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    await deps.vigil.store.ping();
    return { status: 'ready' };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
