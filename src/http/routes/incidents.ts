import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { incidentStatuses, severities } from '../../core/incident.js';
import { findIncident } from '../../respond/incident-actions.js';
import type { HttpDeps } from '../http-deps.js';
import { presentAlert, presentIncident, presentTimelineEntry } from '../present.js';

const security = [{ bearer: [] }];
const idParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, or short id such as INC-42') });

/** A comma-separated list of allowed values, such as `triggered,acknowledged`. */
function listOf<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(z.enum(values)));
}

const isoTime = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));

const listQuery = z.object({
  status: listOf(incidentStatuses as [string, ...string[]]).optional().describe('Comma-separated: triggered,acknowledged,resolved'),
  severity: listOf(severities as [string, ...string[]]).optional().describe('Comma-separated: SEV1..SEV5'),
  service: z.string().min(1).max(200).optional(),
  since: isoTime.optional().describe('Created at or after (ISO 8601)'),
  until: isoTime.optional().describe('Created before (ISO 8601)'),
  before: z.coerce.number().int().positive().optional().describe('Only incidents numbered below this, for paging'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const reasonBody = z.object({ reason: z.string().min(1).max(2000).optional() }).nullish();

/** Reading and acting on incidents; viewers read, responders act. */
export function incidentRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get(
    '/api/v1/incidents',
    { schema: { summary: 'List incidents, newest first', tags: ['incidents'], security, querystring: listQuery } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const q = request.query;
      const incidents = await vigil.store.read.listIncidents({
        limit: q.limit,
        ...(q.status === undefined ? {} : { statuses: q.status as never }),
        ...(q.severity === undefined ? {} : { severities: q.severity as never }),
        ...(q.service === undefined ? {} : { service: q.service }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }),
        ...(q.before === undefined ? {} : { beforeNumber: q.before }),
      });
      const last = incidents.at(-1);
      return {
        incidents: incidents.map(presentIncident),
        next: incidents.length === q.limit && last !== undefined ? { before: last.number } : null,
      };
    },
  );

  typed.get(
    '/api/v1/incidents/:id',
    { schema: { summary: 'One incident with its alerts', tags: ['incidents'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      const alerts = await vigil.store.read.listAlertsOfIncident(incident.id);
      return { incident: presentIncident(incident), alerts: alerts.map(presentAlert) };
    },
  );

  typed.get(
    '/api/v1/incidents/:id/timeline',
    { schema: { summary: "An incident's timeline, oldest first, to the millisecond", tags: ['incidents'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const incident = await findIncident(vigil.store.read, request.params.id);
      const entries = await vigil.store.read.listTimeline(incident.id);
      return { incidentId: incident.id, entries: entries.map(presentTimelineEntry) };
    },
  );

  for (const action of ['acknowledge', 'resolve', 'reopen'] as const) {
    typed.post(
      `/api/v1/incidents/:id/${action}`,
      { schema: { summary: `${action[0]!.toUpperCase()}${action.slice(1)} an incident`, tags: ['incidents'], security, params: idParams, body: reasonBody } },
      async (request) => {
        const actor = await auth.requireRole(request, 'responder');
        const reason = request.body?.reason;
        const incident = await vigil.store.write((tx) =>
          vigil.actions.changeStatus(tx, { ref: request.params.id, action, actor, ...(reason === undefined ? {} : { reason }) }),
        );
        // The team channels hear of it, and a reopen pages: now, not at the next round.
        vigil.workers.kick();
        return { incident: presentIncident(incident) };
      },
    );
  }

  typed.post(
    '/api/v1/incidents/:id/assign',
    {
      schema: {
        summary: 'Assign an incident to someone, or unassign it with null',
        tags: ['incidents'],
        security,
        params: idParams,
        body: z.object({ assignee: z.string().min(1).max(200).nullable() }),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const incident = await vigil.store.write((tx) => vigil.actions.assign(tx, { ref: request.params.id, assignee: request.body.assignee, actor }));
      return { incident: presentIncident(incident) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/severity',
    {
      schema: {
        summary: "Set an incident's severity by hand",
        tags: ['incidents'],
        security,
        params: idParams,
        body: z.object({ severity: z.enum(severities as [string, ...string[]]), reason: z.string().min(1).max(2000).optional() }),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const { severity, reason } = request.body;
      const incident = await vigil.store.write((tx) =>
        vigil.actions.setSeverity(tx, { ref: request.params.id, severity: severity as never, actor, ...(reason === undefined ? {} : { reason }) }),
      );
      vigil.workers.kick();
      return { incident: presentIncident(incident) };
    },
  );

  typed.post(
    '/api/v1/incidents/:id/notes',
    {
      schema: {
        summary: "Add a note to an incident's timeline",
        tags: ['incidents'],
        security,
        params: idParams,
        body: z.object({ text: z.string().trim().min(1).max(10_000) }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const entry = await vigil.store.write((tx) => vigil.actions.addNote(tx, { ref: request.params.id, text: request.body.text, actor }));
      return reply.status(201).send({ entry: presentTimelineEntry(entry) });
    },
  );
}
