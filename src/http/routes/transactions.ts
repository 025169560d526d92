import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validationFailed } from '../../core/errors.js';
import { TransactionIntake } from '../../detect/transaction-intake.js';
import { ndjsonLines } from '../../ingest/ndjson-lines.js';
import { parseTransactionLine, transactionArraySchema, transactionSchema } from '../../ingest/transactions.js';
import { integrationKey } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';

const NDJSON = 'application/x-ndjson';
/** One transaction is a few hundred bytes; a line this long is not one. */
const maxLineBytes = 1024 * 1024;

/**
 * `POST /api/v1/transactions`: a JSON array (validated whole: one bad item refuses the request and
 * nothing is processed) or NDJSON (`application/x-ndjson`), streamed: each line is parsed, run
 * through the detectors, and the findings committed as alerts a batch at a time, reading the next
 * lines only after each commit. Bad lines are reported by number and the stream goes on. The
 * answer comes after the last commit.
 */
export function transactionRoutes(app: FastifyInstance, deps: HttpDeps): void {
  // A scope of its own, so only this route takes NDJSON.
  void app.register(async (scope) => transactionRoute(scope, deps));
}

function transactionRoute(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  // The stream is handed to the route as it is; NDJSON has its own line limit, not a body limit.
  app.addContentTypeParser(NDJSON, (_request, payload, done) => done(null, payload));
  app.addContentTypeParser('application/ndjson', (_request, payload, done) => done(null, payload));

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/v1/transactions',
    {
      schema: {
        summary: 'Feed transactions to the detectors: a JSON array, or NDJSON streamed (application/x-ndjson)',
        tags: ['ingest'],
        security: [{ bearer: [] }],
        querystring: z.object({ key: z.string().optional() }),
        body: z.union([transactionArraySchema, transactionSchema]),
      },
      // NDJSON arrives as a stream and is validated line by line below.
      validatorCompiler: ({ httpPart }) => (data: unknown) => {
        if (httpPart !== 'body' || isStream(data)) return { value: data };
        const parsed = (Array.isArray(data) ? transactionArraySchema : transactionSchema).safeParse(data);
        if (parsed.success) return { value: parsed.data };
        return { error: validationFailed('the transactions', parsed.error.issues) };
      },
      preValidation: async (request) => {
        request.integration = await deps.auth.requireIntegration(integrationKey(request), 'transactions');
      },
    },
    async (request) => {
      const intake = new TransactionIntake({
        detection: deps.vigil.detection,
        integration: request.integration!,
        ingest: (integration, events) => deps.vigil.ingest(integration, events),
      });
      const body: unknown = request.body;
      if (isStream(body)) {
        for await (const line of ndjsonLines(body, { maxLineBytes })) {
          if (line.kind === 'too_long') {
            intake.reject(line.number, `line is ${line.bytes} bytes; at most ${maxLineBytes}`);
            continue;
          }
          const parsed = parseTransactionLine(line.text);
          if (parsed.ok) await intake.add(parsed.transaction);
          else intake.reject(line.number, parsed.message);
        }
      } else {
        for (const tx of Array.isArray(body) ? body : [body]) await intake.add(tx as Parameters<TransactionIntake['add']>[0]);
      }
      await intake.flush();
      const summary = intake.summary();
      for (const [outcome, n] of Object.entries(summary.outcomes)) deps.metrics.alertsIngested.inc({ source: 'detector', outcome }, n);
      return summary;
    },
  );
  return Promise.resolve();
}

function isStream(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function';
}
