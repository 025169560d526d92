import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../core/ids.js';
import { genericAlertsSchema, genericEvents, type GenericAlerts } from './generic.js';
import { describeIngestMapperContract, messyLabels, messyText, messyTime, messyUrl, mostly, mostlyFilledText } from './ingest-mapper.contract.js';

const ctx = { receivedAt: Date.UTC(2024, 2, 7, 12, 0, 0), ids: sequentialIds() };

function eventsOf(body: unknown) {
  return genericEvents(genericAlertsSchema.parse(body), ctx);
}

function pathsOf(body: unknown): string[] {
  return genericAlertsSchema.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];
}

describe('generic JSON alerts', () => {
  it('an alert with only a summary is a firing warning, occurring when received', () => {
    const [event, ...rest] = eventsOf({ summary: 'Backup job failed' });
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      source: 'generic',
      action: 'trigger',
      severity: 'warning',
      summary: 'Backup job failed',
      labels: {},
      annotations: {},
      links: [],
      raw: { summary: 'Backup job failed' },
      occurredAt: ctx.receivedAt,
    });
    expect(event?.dedupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(event?.groupKey).toBe(event?.dedupKey);
  });

  it('an identical repeat deduplicates, whatever the order of its labels', () => {
    const [first] = eventsOf({ summary: 'Disk full', labels: { host: 'a', mount: '/' } });
    const [again] = eventsOf({ summary: 'Disk full', labels: { mount: '/', host: 'a' }, details: { free: 0 } });
    const [otherHost] = eventsOf({ summary: 'Disk full', labels: { host: 'b', mount: '/' } });
    const [otherSummary] = eventsOf({ summary: 'Disk nearly full', labels: { host: 'a', mount: '/' } });
    expect(again?.dedupKey).toBe(first?.dedupKey);
    expect(otherHost?.dedupKey).not.toBe(first?.dedupKey);
    expect(otherSummary?.dedupKey).not.toBe(first?.dedupKey);
  });

  it('the sender’s dedup and group keys are used when given', () => {
    const [event] = eventsOf({ summary: 'x', dedup_key: 'job-42', group_key: 'backups' });
    expect(event).toMatchObject({ dedupKey: 'job-42', fingerprint: 'job-42', groupKey: 'backups' });
  });

  it('a resolved status resolves the alert with the same key', () => {
    const [fire] = eventsOf({ summary: 'Disk full', status: 'firing' });
    const [resolve] = eventsOf({ summary: 'Disk full', status: 'resolved' });
    expect(resolve?.action).toBe('resolve');
    expect(resolve?.dedupKey).toBe(fire?.dedupKey);
  });

  it('the source becomes a label unless the labels already name one', () => {
    expect(eventsOf({ summary: 'x', source: 'cron@db1' })[0]?.labels).toEqual({ source: 'cron@db1' });
    expect(eventsOf({ summary: 'x', source: 'cron@db1', labels: { source: 'explicit' } })[0]?.labels).toEqual({ source: 'explicit' });
  });

  it('details of any shape are kept in raw and nowhere else', () => {
    const body = { summary: 'x', details: { count: 3, nested: [true, null] }, x_extra: 'kept' };
    const [event] = eventsOf(body);
    expect(event?.raw).toEqual(body);
    expect(event?.annotations).toEqual({});
  });

  it('severity, annotations, links and timestamp are taken as sent', () => {
    const [event] = eventsOf({
      summary: 'x',
      severity: 'critical',
      annotations: { runbook: 'https://runbooks.example/x' },
      links: [{ href: 'https://grafana.example/d/1', text: 'Dashboard' }, { href: 'javascript:alert(1)' }],
      timestamp: '2024-03-07T11:00:00Z',
    });
    expect(event).toMatchObject({
      severity: 'critical',
      annotations: { runbook: 'https://runbooks.example/x' },
      links: [{ href: 'https://grafana.example/d/1', text: 'Dashboard' }],
      occurredAt: Date.parse('2024-03-07T11:00:00Z'),
    });
  });

  it('null optional fields are taken as absent', () => {
    const [event] = eventsOf({ summary: 'x', severity: null, status: null, dedup_key: null, labels: null, links: null });
    expect(event).toMatchObject({ action: 'trigger', severity: 'warning', labels: {}, links: [] });
  });

  it('a list of alerts makes one event each', () => {
    expect(eventsOf([{ summary: 'a' }, { summary: 'b', status: 'resolved' }]).map((e) => [e.summary, e.action])).toEqual([
      ['a', 'trigger'],
      ['b', 'resolve'],
    ]);
  });

  it('an empty list and a list of more than 1000 are refused', () => {
    expect(pathsOf([])).toEqual(['']);
    expect(pathsOf(Array.from({ length: 1001 }, () => ({ summary: 'x' })))).toEqual(['']);
    expect(genericAlertsSchema.safeParse(Array.from({ length: 1000 }, () => ({ summary: 'x' }))).success).toBe(true);
  });

  it('a blank, missing or over-long summary is refused at its path', () => {
    expect(pathsOf({ summary: '   ' })).toEqual(['summary']);
    expect(pathsOf({})).toEqual(['summary']);
    expect(pathsOf([{ summary: 'ok' }, { summary: 's'.repeat(1025) }])).toEqual(['1.summary']);
  });

  it('an unknown severity or status, or a dedup key over 255 characters, is refused at its path', () => {
    expect(pathsOf({ summary: 'x', severity: 'urgent', status: 'open', dedup_key: 'k'.repeat(256) })).toEqual(['severity', 'status', 'dedup_key']);
  });

  it('a label that is not a string is refused: details is the place for other values', () => {
    expect(pathsOf({ summary: 'x', labels: { count: 3 } })).toEqual(['labels.count']);
  });
});

const nearlyValidAlert = fc.record(
  {
    summary: mostly(mostlyFilledText),
    severity: mostly(fc.constantFrom('critical', 'error', 'warning', 'info', null)),
    status: mostly(fc.constantFrom('firing', 'resolved', null)),
    dedup_key: mostly(fc.oneof(messyText, fc.constant(null))),
    group_key: mostly(fc.oneof(messyText, fc.string({ minLength: 250, maxLength: 400 }))),
    source: mostly(messyText),
    labels: mostly(messyLabels),
    annotations: mostly(messyLabels),
    details: fc.anything(),
    links: mostly(fc.array(fc.record({ href: mostly(messyUrl), text: mostly(messyText) }, { requiredKeys: ['href'] }), { maxLength: 3 })),
    timestamp: mostly(messyTime),
  },
  { requiredKeys: ['summary'] },
);

describeIngestMapperContract<GenericAlerts>({
  name: 'genericEvents',
  schema: genericAlertsSchema,
  map: genericEvents,
  nearlyValid: fc.oneof(nearlyValidAlert, fc.array(nearlyValidAlert, { maxLength: 4 })),
  example: { summary: 'Backup job failed', labels: { host: 'db1' } },
});
