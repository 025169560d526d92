import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIncident } from '../../respond/incident-actions.js';
import type { HttpDeps } from '../http-deps.js';
import { presentPlaybook, presentPlaybookSummary, presentRun } from '../present-playbooks.js';

const security = [{ bearer: [] }];
const nameParams = z.object({ name: z.string().min(1).max(80).describe('Playbook name, such as hot-wallet-compromise') });
const incidentParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, or short id such as INC-42') });
const stepParams = incidentParams.extend({
  run: z.string().min(1).max(80).describe('Run id, or the name of the playbook attached'),
  step: z.string().min(1).max(80).describe('Step id'),
});

/** Content types a playbook may be sent as besides JSON. */
export const yamlContentTypes = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

const completeBody = z
  .strictObject({
    output: z.string().max(20_000).optional().describe('What was done and what it showed'),
    evidence: z.record(z.string().min(1).max(80), z.string().max(20_000)).optional().describe('Evidence values by field name, checked against their kinds'),
    checks: z.record(z.string().min(1).max(80), z.boolean()).optional().describe('An answer (true = yes) to every check of the step, by check id'),
  })
  .nullish();

/**
 * Playbooks: the catalogue (built-in, directory, stored through the API), and their runs on
 * incidents. A playbook is sent as YAML (`Content-Type: application/yaml`) or JSON.
 */
export function playbookRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get('/api/v1/playbooks', { schema: { summary: 'Every playbook, built-in or added', tags: ['playbooks'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { playbooks: (await vigil.playbooks.catalog.all(vigil.store.read)).map(presentPlaybookSummary) };
  });

  typed.get('/api/v1/playbooks/:name', { schema: { summary: 'One playbook with its steps', tags: ['playbooks'], security, params: nameParams } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { playbook: presentPlaybook(await vigil.playbooks.catalog.find(vigil.store.read, request.params.name)) };
  });

  // YAML bodies only here: an encapsulated scope keeps every other route JSON-only (415 otherwise).
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(yamlContentTypes, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().put(
      '/api/v1/playbooks/:name',
      {
        schema: {
          summary: 'Add a playbook or replace one (a built-in too); YAML (application/yaml) or JSON. Runs already attached keep their snapshot.',
          tags: ['playbooks'],
          security,
          params: nameParams,
          body: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
        },
      },
      async (request) => {
        const actor = await auth.requireRole(request, 'admin');
        await vigil.store.write((tx) => vigil.playbooks.put(tx, { name: request.params.name, body: request.body, actor }));
        return { playbook: presentPlaybook(await vigil.playbooks.catalog.find(vigil.store.read, request.params.name)) };
      },
    );
    done();
  });

  typed.get(
    '/api/v1/incidents/:id/playbooks',
    { schema: { summary: "The playbooks attached to an incident, with each step's state", tags: ['playbooks'], security, params: incidentParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      return { runs: (await vigil.store.read.listPlaybookRuns(incident.id)).map(presentRun) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/playbooks',
    {
      schema: {
        summary: 'Attach a playbook to an incident by hand (once per playbook)',
        tags: ['playbooks'],
        security,
        params: incidentParams,
        body: z.strictObject({ playbook: z.string().min(1).max(80) }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const run = await vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref: request.params.id, playbook: request.body.playbook, actor }));
      return reply.status(201).send({ run: presentRun(run) });
    },
  );

  typed.post(
    '/api/v1/incidents/:id/playbooks/:run/steps/:step/complete',
    {
      schema: {
        summary: 'Complete a step: output, evidence and check answers (409 APPROVAL_REQUIRED until its approval reached quorum)',
        tags: ['playbooks'],
        security,
        params: stepParams,
        body: completeBody,
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const body = request.body ?? {};
      const completion = {
        ...(body.output === undefined ? {} : { output: body.output }),
        ...(body.evidence === undefined ? {} : { evidence: body.evidence }),
        ...(body.checks === undefined ? {} : { checks: body.checks }),
      };
      const { id, run, step } = request.params;
      const updated = await vigil.store.write((tx) => vigil.playbooks.complete(tx, { ref: id, run, step, completion, actor }));
      return { run: presentRun(updated) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/playbooks/:run/steps/:step/skip',
    { schema: { summary: 'Skip a step, with the reason', tags: ['playbooks'], security, params: stepParams, body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const { id, run, step } = request.params;
      const updated = await vigil.store.write((tx) => vigil.playbooks.skip(tx, { ref: id, run, step, reason: request.body.reason, actor }));
      return { run: presentRun(updated) };
    },
  );
}
