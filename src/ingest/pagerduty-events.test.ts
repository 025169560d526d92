import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../core/ids.js';
import { describeIngestMapperContract, messyText, messyTime, messyUrl, mostly, mostlyFilledText } from './ingest-mapper.contract.js';
import { pagerdutyEventSchema, parsePagerDutyEvent, type PagerDutyEvent } from './pagerduty-events.js';

const routingKey = 'R0ut1ngK3yR0ut1ngK3yR0ut1ngK3y00';

function context() {
  return { receivedAt: Date.UTC(2024, 2, 7, 12, 0, 0), ids: sequentialIds() };
}

/** The trigger example of PagerDuty's documentation. */
function trigger(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: 'srv01/HTTP',
    payload: {
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      timestamp: '2015-07-17T08:42:58.315+0000',
      severity: 'critical',
      source: 'prod-datapipe03.example.com',
      component: 'mysql',
      group: 'prod-datapipe',
      class: 'disk',
      custom_details: { free_space: '1%', ping_time: 1500, nested: { owner: 'dba' } },
      ...payload,
    },
    links: [{ href: 'https://example.com/', text: 'Link text' }],
    images: [{ src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png', href: 'https://example.com/', alt: 'Example text' }],
    client: 'Sample Monitoring Service',
    client_url: 'https://monitoring.example.com',
    ...overrides,
  };
}

function accepted(body: unknown) {
  const result = parsePagerDutyEvent(body, context());
  if (!result.ok) throw new Error(`refused: ${result.errors.join('; ')}`);
  return result;
}

function errorsOf(body: unknown): string[] {
  const result = parsePagerDutyEvent(body, context());
  if (result.ok) throw new Error('accepted');
  return result.errors;
}

describe('PagerDuty Events API v2', () => {
  it('a trigger maps its payload to an alert event keyed by its dedup key', () => {
    const result = accepted(trigger());
    expect(result.routingKey).toBe(routingKey);
    expect(result.dedupKey).toBe('srv01/HTTP');
    expect(result.event).toMatchObject({
      source: 'pagerduty',
      action: 'trigger',
      dedupKey: 'srv01/HTTP',
      fingerprint: 'srv01/HTTP',
      groupKey: 'prod-datapipe',
      severity: 'critical',
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      labels: { source: 'prod-datapipe03.example.com', component: 'mysql', group: 'prod-datapipe', class: 'disk', client: 'Sample Monitoring Service' },
      links: [
        { href: 'https://example.com/', text: 'Link text' },
        { href: 'https://monitoring.example.com', text: 'Sample Monitoring Service' },
        { href: 'https://example.com/', text: 'Example text' },
      ],
      occurredAt: Date.parse('2015-07-17T08:42:58.315+0000'),
    });
  });

  it('a trigger without a dedup key gets a generated one, which is returned to the sender', () => {
    const first = accepted(trigger({ dedup_key: undefined }));
    const second = accepted(trigger({ dedup_key: null }));
    expect(first.dedupKey).toMatch(/^[0-9a-f]{32}$/);
    expect(first.event.dedupKey).toBe(first.dedupKey);
    expect(second.dedupKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a trigger without a group is grouped by its dedup key', () => {
    expect(accepted(trigger({}, { group: undefined })).event.groupKey).toBe('srv01/HTTP');
  });

  it('the routing key is never kept in the stored payload', () => {
    const { event } = accepted(trigger());
    expect(JSON.stringify(event.raw)).not.toContain(routingKey);
    expect(event.raw).not.toHaveProperty('routing_key');
    expect(event.raw).toHaveProperty('payload.custom_details.ping_time', 1500);
  });

  it('only string custom details become annotations; the rest stay in raw', () => {
    expect(accepted(trigger()).event.annotations).toEqual({ free_space: '1%', 'nested.owner': 'dba' });
    expect(accepted(trigger({}, { custom_details: 'just text' })).event.annotations).toEqual({});
  });

  it('a summary longer than 1024 characters is cut, as PagerDuty does, not refused', () => {
    expect(accepted(trigger({}, { summary: 'y'.repeat(3000) })).event.summary).toHaveLength(1024);
  });

  it('an unparseable timestamp falls back to the receive time', () => {
    expect(accepted(trigger({}, { timestamp: 'last tuesday' })).event.occurredAt).toBe(context().receivedAt);
  });

  it('acknowledge and resolve act by dedup key and need no payload', () => {
    const ack = accepted({ routing_key: routingKey, event_action: 'acknowledge', dedup_key: 'srv01/HTTP' });
    const resolve = accepted({ routing_key: routingKey, event_action: 'resolve', dedup_key: 'srv01/HTTP', payload: { anything: ['goes'] } });
    expect(ack.event).toMatchObject({ action: 'acknowledge', dedupKey: 'srv01/HTTP', summary: 'PagerDuty acknowledge', occurredAt: context().receivedAt });
    expect(resolve.event).toMatchObject({ action: 'resolve', dedupKey: 'srv01/HTTP', summary: 'PagerDuty resolve' });
    expect(resolve.event.raw).toEqual({ event_action: 'resolve', dedup_key: 'srv01/HTTP', payload: { anything: ['goes'] } });
  });

  it('acknowledge and resolve without a dedup key are refused as PagerDuty refuses them', () => {
    expect(errorsOf({ routing_key: routingKey, event_action: 'resolve' })).toEqual(["'dedup_key' is missing or blank"]);
    expect(errorsOf({ routing_key: routingKey, event_action: 'acknowledge', dedup_key: '  ' })).toEqual(["'dedup_key' is missing or blank"]);
  });

  it('a trigger missing its required payload fields is refused with one error per field', () => {
    expect(errorsOf(trigger({}, { summary: '', source: undefined, severity: undefined }))).toEqual([
      "'payload.summary' is missing or blank",
      "'payload.source' is missing or blank",
      "'payload.severity' is missing or blank",
    ]);
    expect(errorsOf(trigger({ payload: undefined }))).toEqual(["'payload' is missing or blank"]);
  });

  it('an unknown event action or severity is refused as invalid', () => {
    expect(errorsOf(trigger({ event_action: 'explode' }))).toEqual(["'event_action' is invalid"]);
    expect(errorsOf(trigger({ event_action: undefined }))).toEqual(["'event_action' is missing or blank"]);
    expect(errorsOf(trigger({}, { severity: 'CRITICAL' }))).toEqual(["'payload.severity' is invalid (must be one of: 'critical', 'error', 'warning', 'info')"]);
  });

  it('a missing routing key and an over-long dedup key are refused', () => {
    expect(errorsOf(trigger({ routing_key: undefined, dedup_key: 'k'.repeat(256) }))).toEqual([
      "'routing_key' is missing or blank",
      "'dedup_key' is too long (at most 255 characters)",
    ]);
  });

  it('a malformed link is refused at its path', () => {
    expect(errorsOf(trigger({ links: [{ href: 'https://ok.example' }, { text: 'no href' }] }))).toEqual(["'links.1.href' is missing or blank"]);
  });

  it('a body that is not a JSON object is refused', () => {
    expect(errorsOf([trigger()])).toEqual(['Event object must be a JSON object']);
    expect(errorsOf('trigger')).toEqual(['Event object must be a JSON object']);
  });
});

const nearlyValidEvent = fc.record(
  {
    routing_key: mostly(fc.oneof(fc.constant(routingKey), messyText)),
    event_action: mostly(fc.constantFrom('trigger', 'acknowledge', 'resolve')),
    dedup_key: mostly(fc.oneof(mostlyFilledText, fc.constant(null))),
    payload: mostly(
      fc.record(
        {
          summary: mostly(mostlyFilledText),
          source: mostly(mostlyFilledText),
          severity: mostly(fc.constantFrom('critical', 'error', 'warning', 'info')),
          timestamp: mostly(messyTime),
          component: mostly(messyText),
          group: mostly(fc.oneof(messyText, fc.constant(null))),
          class: mostly(messyText),
          custom_details: fc.anything(),
        },
        { requiredKeys: ['summary', 'source', 'severity'] },
      ),
    ),
    links: mostly(fc.array(fc.record({ href: mostly(messyUrl), text: mostly(messyText) }, { requiredKeys: ['href'] }), { maxLength: 3 })),
    images: mostly(fc.array(fc.record({ src: mostly(messyUrl), href: mostly(messyUrl), alt: mostly(messyText) }, { requiredKeys: ['src'] }), { maxLength: 3 })),
    client: mostly(messyText),
    client_url: mostly(messyUrl),
  },
  { requiredKeys: ['routing_key', 'event_action'] },
);

describeIngestMapperContract<PagerDutyEvent>({
  name: 'parsePagerDutyEvent',
  schema: pagerdutyEventSchema,
  map: (payload, ctx) => {
    const result = parsePagerDutyEvent(payload, ctx);
    if (!result.ok) throw new Error(`an accepted event was refused: ${result.errors.join('; ')}`);
    return [result.event];
  },
  nearlyValid: nearlyValidEvent,
  example: trigger(),
});
