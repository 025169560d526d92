/**
 * The contract every ingest mapper meets, run by each mapper's own test: its schema never
 * throws on any input, and whatever it accepts maps to events the correlator and the store can
 * take as they are (bounded keys and summaries, string labels, JSON evidence).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { alertSeverities, alertSources, type AlertEvent } from '../core/alert.js';
import { sequentialIds } from '../core/ids.js';
import type { IngestContext } from './ingest-context.js';

export interface IngestMapperContract<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly map: (payload: T, ctx: IngestContext) => readonly AlertEvent[];
  /** Payloads shaped like the format, mostly valid and sometimes not, so both sides are exercised. */
  readonly nearlyValid: fc.Arbitrary<unknown>;
  /** One valid payload that is a JSON object, to which the contract adds hostile fields. */
  readonly example: Readonly<Record<string, unknown>>;
}

const ctxArbitrary: fc.Arbitrary<IngestContext> = fc
  .integer({ min: 0, max: 4_102_444_800_000 })
  .map((receivedAt) => ({ receivedAt, ids: sequentialIds('key') }));

/** What is wrong with an event, as sentences; an empty list means it is well formed. */
export function eventProblems(event: AlertEvent): string[] {
  const problems: string[] = [];
  const key = (name: string, value: string): void => {
    if (value.length === 0) problems.push(`${name} is empty`);
    if (value.length > 255) problems.push(`${name} is longer than 255`);
    if (value.includes('\u0000')) problems.push(`${name} contains NUL`);
  };
  if (!alertSources.includes(event.source)) problems.push(`source ${event.source} is unknown`);
  if (!['trigger', 'acknowledge', 'resolve'].includes(event.action)) problems.push(`action ${event.action} is unknown`);
  if (!alertSeverities.includes(event.severity)) problems.push(`severity ${event.severity} is unknown`);
  key('dedupKey', event.dedupKey);
  key('fingerprint', event.fingerprint);
  key('groupKey', event.groupKey);
  if (event.summary.trim().length === 0) problems.push('summary is blank');
  if (event.summary.length > 1024) problems.push('summary is longer than 1024');
  if (event.summary.includes('\u0000')) problems.push('summary contains NUL');
  for (const [name, record] of [['labels', event.labels], ['annotations', event.annotations]] as const) {
    for (const [k, v] of Object.entries(record)) if (typeof v !== 'string') problems.push(`${name}.${k} is not a string`);
  }
  for (const link of event.links) if (!/^https?:\/\//i.test(link.href)) problems.push(`link ${link.href} is not http(s)`);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(event.raw)), event.raw)) problems.push('raw does not survive a JSON round trip');
  if (!Number.isFinite(event.occurredAt)) problems.push('occurredAt is not a finite time');
  return problems;
}

/** Registers the contract's tests for one mapper. */
export function describeIngestMapperContract<T>(contract: IngestMapperContract<T>): void {
  const { schema, map } = contract;
  describe(`${contract.name} meets the ingest mapper contract`, () => {
    it('parsing any value whatsoever returns a result and never throws', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => {
          const result = schema.safeParse(value);
          expect(typeof result.success).toBe('boolean');
        }),
        { numRuns: 1000 },
      );
    });

    it('every payload the schema accepts maps to well-formed events without throwing', () => {
      fc.assert(
        fc.property(contract.nearlyValid, ctxArbitrary, (value, ctx) => {
          const parsed = schema.safeParse(value);
          if (!parsed.success) return;
          for (const event of map(parsed.data, ctx)) expect(eventProblems(event)).toEqual([]);
        }),
        { numRuns: 500 },
      );
    });

    it('the generated payloads are accepted often enough, and refused sometimes, to test both sides', () => {
      const samples = fc.sample(contract.nearlyValid, { numRuns: 400, seed: 42 });
      const accepted = samples.filter((value) => schema.safeParse(value).success).length;
      expect(accepted).toBeGreaterThan(samples.length * 0.15);
      expect(accepted).toBeLessThan(samples.length);
    });

    it('a payload with a field nested deeper than any stack is kept in raw without overflowing', () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      const parsed = schema.safeParse({ ...contract.example, x_deep: deep });
      expect(parsed.success).toBe(true);
      if (!parsed.success) return;
      const events = map(parsed.data, { receivedAt: 1, ids: sequentialIds() });
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(eventProblems(event)).toEqual([]);
    });

    it('a __proto__ key in the payload stays data and changes no prototype', () => {
      const body: unknown = JSON.parse(JSON.stringify({ ...contract.example }).replace(/^\{/, '{"__proto__":{"polluted":"yes"},'));
      const parsed = schema.safeParse(body);
      expect(parsed.success).toBe(true);
      if (!parsed.success) return;
      for (const event of map(parsed.data, { receivedAt: 1, ids: sequentialIds() })) {
        expect(eventProblems(event)).toEqual([]);
        expect((event.labels as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    });
  });
}

/** Text as senders produce it: empty, blank, with NUL, broken surrogates, or far too long. */
export const messyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 6 },
  { arbitrary: fc.constantFrom('', '   ', 'a\u0000b', '\uD83D', 'x\uDE00', '☃ émoji 🚨'), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 1000, maxLength: 1300 }), weight: 1 },
);

/** Text that says something, mixed with messy text, for fields a valid payload needs filled. */
export const mostlyFilledText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== ''), weight: 4 },
  { arbitrary: messyText, weight: 1 },
);

/** Label sets with the keys mappers read and the keys that would trip an object lookup. */
export const messyLabels: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('severity', 'alertname', 'instance', 'source', '__proto__', 'constructor', 'toString')),
  fc.oneof(messyText, fc.constantFrom('critical', 'P1', 'warn', 'constructor', 'none')),
  { maxKeys: 6 },
);

/** Times: valid ISO strings across the whole Date range, Alertmanager's zero time, and junk. */
export const messyTime: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('0001-01-01T00:00:00Z', '2024-03-07T10:00:00.123456789+01:00', 'not a time', '', '1e400'),
  fc.string({ maxLength: 20 }),
);

/** URLs a link may carry, including ones the console must never render. */
export const messyUrl: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('', 'javascript:alert(1)', 'data:text/html,x', 'ftp://host/x', 'not a url', `https://x.test/${'a'.repeat(9000)}`),
  messyText,
);

/** Usually the valid value, sometimes anything at all: the schema must refuse those calmly. */
export function mostly<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary, weight: 19 }, { arbitrary: fc.anything(), weight: 1 });
}
