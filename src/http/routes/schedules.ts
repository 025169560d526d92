import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import { shiftsBetween, whoIsOnCall } from '../../respond/schedules/on-call.js';
import { scheduleToICal } from '../../respond/schedules/schedule-ical.js';
import { findSchedule } from '../../respond/schedules/schedule-service.js';
import type { HttpDeps } from '../http-deps.js';
import { iso, presentSchedule, presentShift } from '../present.js';

const security = [{ bearer: [] }];
const ref = z.object({ ref: z.string().min(1).max(200).describe('Schedule id or name') });
const isoTime = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));
const DAY = 86_400_000;


/**
 * On-call schedules: define them (layers, rotations, overrides), ask who is on call now or at
 * a time, list the shifts, and subscribe to an iCal feed. The feed takes a viewer token as
 * `?token=` because calendar clients cannot send headers.
 */
export function scheduleRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.put(
    '/api/v1/schedules',
    { schema: { summary: 'Create a schedule, or replace the one with the same name', tags: ['schedules'], security, body: z.record(z.string(), z.unknown()) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const stored = await vigil.store.write((tx) => vigil.schedules.put(tx, { definition: request.body, actor }));
      return { schedule: presentSchedule(stored) };
    },
  );

  typed.get('/api/v1/schedules', { schema: { summary: 'All schedules', tags: ['schedules'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { schedules: (await vigil.store.read.listSchedules()).map(presentSchedule) };
  });

  typed.get(
    '/api/v1/schedules/:ref/oncall',
    { schema: { summary: 'Who is on call now, or at ?at=', tags: ['schedules'], security, params: ref, querystring: z.object({ at: isoTime.optional() }) } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const stored = await findSchedule(vigil.store.read, request.params.ref);
      const at = request.query.at ?? vigil.clock.now();
      return { schedule: stored.schedule.name, at: iso(at), person: whoIsOnCall(stored.schedule, at) };
    },
  );

  typed.get(
    '/api/v1/schedules/:ref/shifts',
    {
      schema: {
        summary: 'The shifts between ?from= and ?to= (at most 92 days)',
        tags: ['schedules'],
        security,
        params: ref,
        querystring: z.object({ from: isoTime.optional(), to: isoTime.optional() }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const stored = await findSchedule(vigil.store.read, request.params.ref);
      const { from, to } = range(request.query.from ?? vigil.clock.now(), request.query.to);
      const shifts = shiftsBetween(stored.schedule, from, to);
      return { schedule: stored.schedule.name, shifts: shifts.map(presentShift) };
    },
  );

  typed.get(
    '/api/v1/schedules/:ref/ical',
    { schema: { summary: 'iCal feed of the next 30 days of shifts (token as Bearer or ?token=)', tags: ['schedules'], params: ref, querystring: z.object({ token: z.string().optional() }) } },
    async (request, reply) => {
      if (request.headers.authorization === undefined && request.query.token !== undefined) request.headers.authorization = `Bearer ${request.query.token}`;
      await auth.requireRole(request, 'viewer');
      const stored = await findSchedule(vigil.store.read, request.params.ref);
      // From the start of today (UTC) so the shifts' UIDs stay the same all day.
      const from = Math.floor(vigil.clock.now() / DAY) * DAY;
      const text = scheduleToICal(stored.schedule, { from, to: from + 30 * DAY, now: vigil.clock.now() });
      return reply.type('text/calendar; charset=utf-8').send(text);
    },
  );

  typed.post(
    '/api/v1/schedules/:ref/overrides',
    {
      schema: {
        summary: 'Put someone on call for a period, above every layer',
        tags: ['schedules'],
        security,
        params: ref,
        body: z.object({ person: z.string().min(1).max(200), start: isoTime, end: isoTime, reason: z.string().min(1).max(500).optional() }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { person, start, end, reason } = request.body;
      const stored = await vigil.store.write((tx) =>
        vigil.schedules.addOverride(tx, { ref: request.params.ref, override: { person, start, end, ...(reason === undefined ? {} : { reason }) }, actor }),
      );
      return reply.status(201).send({ schedule: presentSchedule(stored) });
    },
  );
}

function range(from: number, to: number | undefined): { from: number; to: number } {
  const end = to ?? from + 7 * DAY;
  if (end <= from) throw new VigilError('VALIDATION_FAILED', 'to must be after from', { details: [{ path: 'to', message: 'must be after from' }] });
  if (end - from > 92 * DAY) throw new VigilError('VALIDATION_FAILED', 'at most 92 days at once', { details: [{ path: 'to', message: 'at most 92 days after from' }] });
  return { from, to: end };
}
