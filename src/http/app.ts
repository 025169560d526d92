import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Vigil } from '../app.js';
import { Authenticator } from './auth.js';
import { handleError, toVigilError } from './errors.js';
import type { HttpDeps } from './http-deps.js';
import { Metrics } from './metrics.js';
import { adminRoutes } from './routes/admin.js';
import { consoleRoutes } from './routes/console.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { ingestRoutes } from './routes/ingest.js';
import { pagerdutyRoutes } from './routes/pagerduty.js';
import { transactionRoutes } from './routes/transactions.js';
import { feedbackRoutes } from './routes/feedback.js';
import { scheduleRoutes } from './routes/schedules.js';
import { escalationRoutes } from './routes/escalation.js';
import { impactRoutes } from './routes/impact.js';
import { mutingRoutes } from './routes/muting.js';
import { notificationRoutes } from './routes/notifications.js';
import { chatopsRoutes } from './routes/chatops.js';
import { commsRoutes } from './routes/comms.js';
import { roleRoutes } from './routes/roles.js';
import { statusPageRoutes } from './routes/status-page.js';
import { playbookRoutes } from './routes/playbooks.js';
import { approvalRoutes } from './routes/approvals.js';

export interface HttpAppOptions {
  readonly vigil: Vigil;
  /** A pino logger configuration, or false for none (tests). */
  readonly logger?: FastifyServerOptions['logger'];
}

/** Which source an ingest route serves, to count rejected payloads per source. */
const sourceByRoute: Readonly<Record<string, string>> = {
  '/api/v1/integrations/alertmanager': 'alertmanager',
  '/api/v1/findings': 'forta',
  '/api/v1/alerts': 'generic',
};

/** Log lines must never carry a credential: the key query parameter is masked in logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|token)=)[^&#]*/gi, '$1[redacted]');
}

/** Builds the HTTP API. Listening is the caller's business, so tests use `inject()` on the same app. */
export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { vigil } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: vigil.config.bodyLimit,
    // Alertmanager and PagerDuty senders retry on errors; a slow client must not hold a socket forever.
    requestTimeout: 30_000,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = new Metrics(vigil.store.read, () => vigil.watcherStatus(), () => vigil.detection.stats());
  const auth = new Authenticator({ reader: vigil.store.read, now: () => vigil.clock.now() });
  const deps: HttpDeps = { vigil, auth, metrics };
  vigil.onNotificationAttempt((kind, outcome) => metrics.notificationDeliveries.inc({ kind, outcome }));
  vigil.store.onWriteBatch?.((batch) => metrics.writeBatch(batch));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vigil',
        version: '0.1.0',
        description: 'Incident response for crypto operations. Errors answer { "error": { "code", "message", "details" } }.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(rateLimit, { global: false });

  app.setErrorHandler((error, request, reply) => {
    const source = sourceByRoute[request.routeOptions.url ?? ''];
    const code = toVigilError(error).code;
    if (source !== undefined && (code === 'VALIDATION_FAILED' || code === 'MALFORMED_JSON')) {
      metrics.alertsIngested.inc({ source, outcome: 'rejected' });
    }
    return handleError(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}`, details: [] } }),
  );

  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  healthRoutes(app, deps);
  ingestRoutes(app, deps);
  pagerdutyRoutes(app, deps);
  transactionRoutes(app, deps);
  feedbackRoutes(app, deps);
  scheduleRoutes(app, deps);
  escalationRoutes(app, deps);
  impactRoutes(app, deps);
  mutingRoutes(app, deps);
  notificationRoutes(app, deps);
  playbookRoutes(app, deps);
  approvalRoutes(app, deps);
  incidentRoutes(app, deps);
  adminRoutes(app, deps);
  // Incident roles, communications and chat-ops.
  roleRoutes(app, deps);
  commsRoutes(app, deps);
  statusPageRoutes(app, deps);
  await chatopsRoutes(app, deps);
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await consoleRoutes(app);

  await app.ready();
  return app;
}
