/**
 * The JSON form of a schedule, checked with zod: the shape the API and the store accept. Parsing
 * gives a `Schedule` with override times as ms since the epoch; every problem comes back with its
 * path (`layers.0.handoffTime`), so a person can find and fix it.
 */
import { z } from 'zod';
import { isValidTimeZone, parseLocalDate, parseTimeOfDay } from './local-time.js';
import { weekdays } from './schedule.js';
import type { Layer, Override, Schedule } from './schedule.js';

const timeOfDay = z.string().refine((text) => parseTimeOfDay(text) !== undefined, { message: 'must be a time of day as HH:MM on a 24-hour clock, like 09:00' });
const localDate = z.string().refine((text) => parseLocalDate(text) !== undefined, { message: 'must be a calendar date as YYYY-MM-DD, like 2026-03-30' });
const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

const rotationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('daily') }),
  z.strictObject({ kind: z.literal('weekly') }),
  z.strictObject({
    kind: z.literal('custom'),
    length: z.number().int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(366, { message: 'must be at most 366' }),
    unit: z.enum(['hours', 'days']),
  }),
]);

const restrictionSchema = z.strictObject({
  days: z.array(z.enum(weekdays)).min(1, { message: 'must name at least one day (sun, mon, tue, wed, thu, fri, sat)' }),
  from: timeOfDay,
  to: timeOfDay,
});

const layerSchema = z.strictObject({
  name: nonEmpty,
  participants: z.array(nonEmpty).min(1, { message: 'a layer needs at least one participant' }),
  rotation: rotationSchema,
  handoffTime: timeOfDay,
  start: localDate,
  restrictions: z.array(restrictionSchema).optional(),
});

/** An instant in JSON: an ISO 8601 date-time with an offset or `Z`, or ms since the epoch. */
const instant = z.union([z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)), z.number().int().nonnegative()], {
  error: 'must be an ISO 8601 date-time with an offset, like 2026-12-24T00:00:00+01:00, or ms since the epoch',
});

const overrideSchema = z
  .strictObject({ person: nonEmpty, start: instant, end: instant, reason: z.string().optional() })
  .refine((override) => override.end > override.start, { message: 'must be after start', path: ['end'] });

/** A schedule definition as JSON; parses to a `Schedule`. */
export const scheduleSchema = z
  .strictObject({
    name: nonEmpty,
    timeZone: z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone id this runtime knows, like Europe/Berlin' }),
    layers: z.array(layerSchema).min(1, { message: 'a schedule needs at least one layer' }),
    overrides: z.array(overrideSchema).default([]),
  })
  .superRefine((schedule, context) => {
    const seen = new Set<string>();
    schedule.layers.forEach((layer, index) => {
      if (seen.has(layer.name)) context.addIssue({ code: 'custom', message: `layer name ${layer.name} is used twice`, path: ['layers', index, 'name'] });
      seen.add(layer.name);
    });
  })
  .transform((parsed): Schedule => ({
    name: parsed.name,
    timeZone: parsed.timeZone,
    // Rebuilt field by field: exactOptionalPropertyTypes keeps `undefined` out of optional fields.
    layers: parsed.layers.map(({ restrictions, ...layer }): Layer => (restrictions === undefined ? layer : { ...layer, restrictions })),
    overrides: parsed.overrides.map(({ reason, ...override }): Override => (reason === undefined ? override : { ...override, reason })),
  }));

/** A schedule definition before parsing, as written in JSON. */
export type ScheduleDefinition = z.input<typeof scheduleSchema>;
