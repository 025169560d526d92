import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import { silenceStates } from '../../core/silence.js';
import { mutedAlertStatuses, type MuteKind } from '../../core/muted-alert.js';
import { parseDuration } from '../../correlate/duration.js';
import { findInhibitionRule } from '../../correlate/inhibition.js';
import { findMaintenanceWindow, openWindows } from '../../correlate/maintenance-windows.js';
import { printMatcher } from '../../correlate/matchers.js';
import { nextOccurrences } from '../../correlate/recurrence.js';
import { findSilence } from '../../correlate/silences.js';
import type { HttpDeps } from '../http-deps.js';
import { iso } from '../present.js';
import { presentInhibitionRule, presentMaintenanceWindow, presentMutedAlert, presentOccurrence, presentSilence } from '../present-muting.js';

const security = [{ bearer: [] }];
const idParam = z.object({ id: z.string().min(1).max(200) });
const isoTime = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));
const text = (max: number) => z.string().max(max);
/** One matcher or set (`{a="b", c=~"d"}`), or a list of them. */
const matcherInput = z
  .union([text(4_000), z.array(text(4_000)).max(50)])
  .describe('Alertmanager matchers: `{chain="ethereum", wallet=~"hot-.*"}`, or a list such as ["chain=\\"ethereum\\""]')
  .transform((value) => (typeof value === 'string' ? [value] : value));
const durationText = text(40).describe('A duration such as 90m, 2h, 1h30m or 1d');
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Silences, maintenance windows, inhibition rules, and the alerts they muted. Creating, expiring
 * and removing takes the responder role; reading takes viewer.
 */
export function mutingRoutes(app: FastifyInstance, deps: HttpDeps): void {
  silenceRoutes(app, deps);
  maintenanceWindowRoutes(app, deps);
  inhibitionRuleRoutes(app, deps);
  mutedAlertRoutes(app, deps);
}

function silenceRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/silences',
    {
      schema: {
        summary: 'Silence the alerts that match, from startsAt (default now) until endsAt or for a duration',
        tags: ['silences'],
        security,
        body: z.strictObject({
          matchers: matcherInput,
          startsAt: isoTime.optional(),
          endsAt: isoTime.optional(),
          duration: durationText.optional(),
          comment: text(2_000),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { matchers, startsAt, endsAt, duration, comment } = request.body;
      const durationMs = duration === undefined ? undefined : parseDuration(duration);
      const silence = await vigil.store.write((tx) =>
        vigil.silences.create(tx, {
          matchers,
          comment,
          actor,
          ...(startsAt === undefined ? {} : { startsAt }),
          ...(endsAt === undefined ? {} : { endsAt }),
          ...(durationMs === undefined ? {} : { durationMs }),
        }),
      );
      return reply.status(201).send({ silence: presentSilence(silence, vigil.clock.now()) });
    },
  );

  typed.get(
    '/api/v1/silences',
    {
      schema: {
        summary: 'Silences, newest first; ?state=active|pending|expired',
        tags: ['silences'],
        security,
        querystring: z.object({ state: z.enum(silenceStates).optional(), limit: z.coerce.number().int().min(1).max(1_000).default(200) }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const now = vigil.clock.now();
      const { state, limit } = request.query;
      const silences = await vigil.store.read.listSilences({ at: now, limit, ...(state === undefined ? {} : { state }) });
      return { silences: silences.map((s) => presentSilence(s, now)) };
    },
  );

  typed.get('/api/v1/silences/:id', { schema: { summary: 'One silence', tags: ['silences'], security, params: idParam } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { silence: presentSilence(await findSilence(vigil.store.read, request.params.id), vigil.clock.now()) };
  });

  typed.delete('/api/v1/silences/:id', { schema: { summary: 'Expire a silence now', tags: ['silences'], security, params: idParam } }, async (request) => {
    const actor = await auth.requireRole(request, 'responder');
    const silence = await vigil.store.write((tx) => vigil.silences.expire(tx, { id: request.params.id, actor }));
    return { silence: presentSilence(silence, vigil.clock.now()) };
  });
}

function maintenanceWindowRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/maintenance-windows',
    {
      schema: {
        summary: 'Create a maintenance window: one-off (startsAt and endsAt or duration) or recurring (rrule, timeZone, duration)',
        tags: ['maintenance windows'],
        security,
        body: z.strictObject({
          name: text(200),
          service: text(200),
          matchers: matcherInput.optional(),
          startsAt: isoTime,
          endsAt: isoTime.optional(),
          duration: durationText.optional(),
          rrule: text(500).optional().describe('RFC 5545 RRULE without DTSTART, such as FREQ=WEEKLY;BYDAY=SU'),
          timeZone: text(100).optional().describe('IANA time zone the rule is read in, such as Europe/Berlin'),
          comment: text(2_000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { name, service, matchers, startsAt, endsAt, duration, rrule, timeZone, comment } = request.body;
      if (rrule === undefined && timeZone !== undefined) throw invalid('timeZone', 'is only for a recurring window (with rrule)');
      if (rrule !== undefined && timeZone === undefined) throw invalid('timeZone', 'is required with rrule (e.g. Europe/Berlin, or UTC)');
      const durationMs = duration === undefined ? undefined : parseDuration(duration);
      const window = await vigil.store.write((tx) =>
        vigil.maintenanceWindows.create(tx, {
          name,
          service,
          startsAt,
          actor,
          ...(matchers === undefined ? {} : { matchers }),
          ...(endsAt === undefined ? {} : { endsAt }),
          ...(durationMs === undefined ? {} : { durationMs }),
          ...(rrule === undefined || timeZone === undefined ? {} : { recurrence: { rrule, timeZone } }),
          ...(comment === undefined ? {} : { comment }),
        }),
      );
      return reply.status(201).send({ maintenanceWindow: presentMaintenanceWindow(window, { now: vigil.clock.now() }) });
    },
  );

  typed.get(
    '/api/v1/maintenance-windows',
    {
      schema: {
        summary: 'Maintenance windows with their next occurrences; ?service=, ?includeRemoved=true',
        tags: ['maintenance windows'],
        security,
        querystring: z.object({ service: text(200).optional(), includeRemoved: booleanQuery.default(false) }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const { service, includeRemoved } = request.query;
      const windows = await vigil.store.read.listMaintenanceWindows({ includeRemoved, ...(service === undefined ? {} : { service }) });
      const now = vigil.clock.now();
      return { maintenanceWindows: windows.map((w) => presentMaintenanceWindow(w, { now })) };
    },
  );

  typed.get(
    '/api/v1/maintenance-windows/active',
    {
      schema: {
        summary: 'Is a service in maintenance now, or at ?at=',
        tags: ['maintenance windows'],
        security,
        querystring: z.object({ service: text(200).min(1), at: isoTime.optional() }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const { service } = request.query;
      const at = request.query.at ?? vigil.clock.now();
      const open = openWindows(await vigil.store.read.listMaintenanceWindows({ includeRemoved: false, service }), { service, at });
      return {
        service,
        at: iso(at),
        inMaintenance: open.length > 0,
        windows: open.map(({ window, occurrence }) => ({ id: window.id, name: window.name, matchers: window.matchers.map(printMatcher), occurrence: presentOccurrence(occurrence) })),
      };
    },
  );

  typed.get(
    '/api/v1/maintenance-windows/:id',
    {
      schema: {
        summary: 'One maintenance window and its next occurrences from ?from= (default now), ?count= of them',
        tags: ['maintenance windows'],
        security,
        params: idParam,
        querystring: z.object({ from: isoTime.optional(), count: z.coerce.number().int().min(1).max(100).default(10) }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const window = await findMaintenanceWindow(vigil.store.read, request.params.id);
      const from = request.query.from ?? vigil.clock.now();
      return {
        maintenanceWindow: presentMaintenanceWindow(window, { now: vigil.clock.now() }),
        occurrences: window.removedAt === null ? nextOccurrences(window, { from, count: request.query.count }).map(presentOccurrence) : [],
      };
    },
  );

  typed.delete(
    '/api/v1/maintenance-windows/:id',
    { schema: { summary: 'Remove a maintenance window', tags: ['maintenance windows'], security, params: idParam } },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const window = await vigil.store.write((tx) => vigil.maintenanceWindows.remove(tx, { id: request.params.id, actor }));
      return { maintenanceWindow: presentMaintenanceWindow(window, { now: vigil.clock.now() }) };
    },
  );
}

function inhibitionRuleRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/inhibition-rules',
    {
      schema: {
        summary: "Create an inhibition rule (Alertmanager's inhibit_rules): a firing source alert mutes matching targets with equal labels",
        tags: ['inhibition rules'],
        security,
        body: z.strictObject({
          name: text(200).optional(),
          sourceMatchers: matcherInput,
          targetMatchers: matcherInput,
          equal: z.array(text(200)).max(50).optional(),
          comment: text(2_000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { name, sourceMatchers, targetMatchers, equal, comment } = request.body;
      const rule = await vigil.store.write((tx) =>
        vigil.inhibitionRules.create(tx, {
          sourceMatchers,
          targetMatchers,
          actor,
          ...(name === undefined ? {} : { name }),
          ...(equal === undefined ? {} : { equal }),
          ...(comment === undefined ? {} : { comment }),
        }),
      );
      return reply.status(201).send({ inhibitionRule: presentInhibitionRule(rule) });
    },
  );

  typed.get(
    '/api/v1/inhibition-rules',
    { schema: { summary: 'Inhibition rules; ?includeRemoved=true', tags: ['inhibition rules'], security, querystring: z.object({ includeRemoved: booleanQuery.default(false) }) } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      return { inhibitionRules: (await vigil.store.read.listInhibitionRules({ includeRemoved: request.query.includeRemoved })).map(presentInhibitionRule) };
    },
  );

  typed.get('/api/v1/inhibition-rules/:id', { schema: { summary: 'One inhibition rule', tags: ['inhibition rules'], security, params: idParam } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { inhibitionRule: presentInhibitionRule(await findInhibitionRule(vigil.store.read, request.params.id)) };
  });

  typed.delete('/api/v1/inhibition-rules/:id', { schema: { summary: 'Remove an inhibition rule', tags: ['inhibition rules'], security, params: idParam } }, async (request) => {
    const actor = await auth.requireRole(request, 'responder');
    const rule = await vigil.store.write((tx) => vigil.inhibitionRules.remove(tx, { id: request.params.id, actor }));
    return { inhibitionRule: presentInhibitionRule(rule) };
  });
}

function mutedAlertRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.get(
    '/api/v1/muted-alerts',
    {
      schema: {
        summary: 'Alerts muted by a silence, a maintenance window or an inhibition rule, newest first; filter by one of them',
        tags: ['silences'],
        security,
        querystring: z.object({
          silence: text(200).optional().describe('A silence id'),
          maintenanceWindow: text(200).optional().describe('A maintenance window id'),
          inhibitionRule: text(200).optional().describe('An inhibition rule id'),
          status: z.enum(mutedAlertStatuses).optional(),
          limit: z.coerce.number().int().min(1).max(1_000).default(200),
        }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const { silence, maintenanceWindow, inhibitionRule, status, limit } = request.query;
      const given: [MuteKind, string][] = [];
      if (silence !== undefined) given.push(['silence', silence]);
      if (maintenanceWindow !== undefined) given.push(['maintenance', maintenanceWindow]);
      if (inhibitionRule !== undefined) given.push(['inhibition', inhibitionRule]);
      if (given.length > 1) throw invalid('silence', 'filter by one of silence, maintenanceWindow and inhibitionRule at a time');
      const [by] = given;
      const muted = await vigil.store.read.listMutedAlerts({
        limit,
        ...(by === undefined ? {} : { kind: by[0], reasonId: by[1] }),
        ...(status === undefined ? {} : { status }),
      });
      return { mutedAlerts: muted.map(presentMutedAlert) };
    },
  );

  typed.get('/api/v1/muted-alerts/:id', { schema: { summary: 'One muted alert and what muted it', tags: ['silences'], security, params: idParam } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    const muted = await vigil.store.read.getMutedAlert(request.params.id);
    if (muted === undefined) throw new VigilError('NOT_FOUND', `no muted alert ${request.params.id}`);
    return { mutedAlert: presentMutedAlert(muted) };
  });
}

function invalid(path: string, message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] });
}
