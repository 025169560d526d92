import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isVigilError } from '../../core/errors.js';
import { parsePagerDutyEvent, pagerdutyEventSchema } from '../../ingest/pagerduty-events.js';
import { toVigilError } from '../errors.js';
import type { HttpDeps } from '../http-deps.js';
import { context } from './ingest.js';

/**
 * PagerDuty Events API v2, answered as PagerDuty answers, so a sender written for PagerDuty works
 * by changing only its URL: 202 with the dedup key, 400 "invalid event" with a list of errors,
 * 429 when the routing key sends too fast. A routing key that is not a Vigil integration key is
 * an invalid event, as it is for PagerDuty.
 */
export function pagerdutyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post(
    '/v2/enqueue',
    {
      schema: {
        summary: 'Receive a PagerDuty Events API v2 event (trigger, acknowledge, resolve)',
        tags: ['ingest'],
        body: pagerdutyEventSchema,
      },
      // The body is validated by parsePagerDutyEvent, which words its errors the way PagerDuty does.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      config: {
        rateLimit: {
          max: deps.vigil.config.eventsPerMinute,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => {
            const key = (request.body as { routing_key?: unknown } | null)?.routing_key;
            return typeof key === 'string' ? `pd:${key}` : `ip:${request.ip}`;
          },
          errorResponseBuilder: () => ({ statusCode: 429, code: 'RATE_LIMITED', message: 'rate limited' }),
        },
      },
      errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
        void pagerdutyError(error, request, reply);
      },
    },
    async (request, reply) => {
      const parsed = parsePagerDutyEvent(request.body, context(deps));
      if (!parsed.ok) {
        deps.metrics.alertsIngested.inc({ source: 'pagerduty', outcome: 'rejected' });
        return reply.status(400).send(invalidEvent(parsed.errors));
      }
      const integration = await deps.auth.requireIntegration(parsed.routingKey, 'pagerduty').catch((error: unknown) => {
        if (isVigilError(error, 'UNAUTHENTICATED') || isVigilError(error, 'FORBIDDEN')) return undefined;
        throw error;
      });
      if (integration === undefined) {
        deps.metrics.alertsIngested.inc({ source: 'pagerduty', outcome: 'rejected' });
        return reply.status(400).send(invalidEvent(["'routing_key' is invalid: it is not the key of a PagerDuty-compatible integration"]));
      }
      const [result] = await deps.vigil.ingest(integration, [parsed.event]);
      deps.metrics.alertsIngested.inc({ source: 'pagerduty', outcome: result?.outcome ?? 'ignored' });
      return reply.status(202).send({ status: 'success', message: 'Event processed', dedup_key: parsed.dedupKey });
    },
  );
}

function invalidEvent(errors: readonly string[]) {
  return { status: 'invalid event', message: 'Event object is invalid', errors };
}

function pagerdutyError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const vigilError = toVigilError(error);
  switch (vigilError.code) {
    case 'RATE_LIMITED':
      return reply
        .status(429)
        .header('retry-after', '60')
        .send({ status: 'throttle event', message: 'Requests for this routing key are arriving too quickly. Please retry later.' });
    case 'MALFORMED_JSON':
    case 'VALIDATION_FAILED':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'BODY_TOO_LARGE':
      return reply.status(vigilError.httpStatus === 413 ? 413 : 400).send(invalidEvent([vigilError.message]));
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_COMMUNICATIONS_LEAD':
    case 'NOT_FOUND':
    case 'INVALID_TRANSITION':
    case 'CONFLICT':
    case 'APPROVAL_REQUIRED':
    case 'QUORUM_NOT_MET':
    case 'NOT_AN_APPROVER':
    case 'ALREADY_DECIDED':
    case 'INVALID_SIGNATURE':
    case 'APPROVAL_CLOSED':
    case 'APPROVAL_EXPIRED':
    case 'NO_APPROVAL_POLICY':
      return reply.status(400).send(invalidEvent([vigilError.message]));
    case 'STORE_UNAVAILABLE':
    case 'CHAIN_UNAVAILABLE':
    case 'STREAM_CLOSED':
    case 'DETECTION_UNAVAILABLE':
    case 'INTERNAL':
      request.log.error({ err: error }, 'event not processed');
      // PagerDuty senders retry on 5xx, which is what a store outage needs.
      return reply.status(vigilError.httpStatus).send({ status: 'error', message: 'Event not processed; retry later' });
  }
}
