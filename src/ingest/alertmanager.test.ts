import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../core/ids.js';
import { alertmanagerEvents, alertmanagerFingerprint, alertmanagerWebhookSchema, severityFromLabel, type AlertmanagerWebhook } from './alertmanager.js';
import { describeIngestMapperContract, messyLabels, messyText, messyTime, messyUrl, mostly } from './ingest-mapper.contract.js';

const ctx = { receivedAt: Date.UTC(2024, 2, 7, 12, 0, 0), ids: sequentialIds() };

/** A webhook as Alertmanager 0.27 sends it. */
function webhook(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="NodeDown"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'vigil',
    groupLabels: { alertname: 'NodeDown' },
    commonLabels: { alertname: 'NodeDown', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'NodeDown', instance: 'node-1:9100', job: 'node', severity: 'critical' },
        annotations: { summary: 'Node node-1:9100 is down', runbook_url: 'https://runbooks.example/node-down' },
        startsAt: '2024-03-07T11:58:30.123Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
    ...overrides,
  };
}

function eventsOf(body: unknown) {
  return alertmanagerEvents(alertmanagerWebhookSchema.parse(body), ctx);
}

function alert(overrides: Record<string, unknown>): Record<string, unknown> {
  return { status: 'firing', labels: { alertname: 'NodeDown' }, ...overrides };
}

describe('alertmanager webhook', () => {
  it('a firing alert becomes a trigger keyed by its fingerprint, grouped by the webhook group key', () => {
    const [event, ...rest] = eventsOf(webhook());
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      source: 'alertmanager',
      action: 'trigger',
      dedupKey: 'a1b2c3d4e5f60718',
      fingerprint: 'a1b2c3d4e5f60718',
      groupKey: '{}/{severity="critical"}:{alertname="NodeDown"}',
      severity: 'critical',
      summary: 'Node node-1:9100 is down',
      labels: { alertname: 'NodeDown', instance: 'node-1:9100', job: 'node', severity: 'critical' },
      annotations: { summary: 'Node node-1:9100 is down', runbook_url: 'https://runbooks.example/node-down' },
      links: [
        { href: 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0', text: 'Source' },
        { href: 'http://alertmanager.example:9093', text: 'Alertmanager' },
      ],
      occurredAt: Date.parse('2024-03-07T11:58:30.123Z'),
    });
  });

  it('each alert is acted on by its own status, not the group status', () => {
    const body = webhook({
      status: 'firing',
      alerts: [alert({ fingerprint: 'aaaa' }), alert({ status: 'resolved', fingerprint: 'bbbb', endsAt: '2024-03-07T11:59:00Z' })],
    });
    expect(eventsOf(body).map((e) => [e.dedupKey, e.action])).toEqual([
      ['aaaa', 'trigger'],
      ['bbbb', 'resolve'],
    ]);
  });

  it('a resolved alert happened at its end time', () => {
    const [event] = eventsOf(webhook({ status: 'resolved', alerts: [alert({ status: 'resolved', startsAt: '2024-03-07T10:00:00Z', endsAt: '2024-03-07T11:00:00Z' })] }));
    expect(event?.occurredAt).toBe(Date.parse('2024-03-07T11:00:00Z'));
  });

  it("Alertmanager's zero end time counts as no time, so a resolve without one happened when received", () => {
    const [event] = eventsOf(webhook({ alerts: [alert({ status: 'resolved', endsAt: '0001-01-01T00:00:00Z' })] }));
    expect(event?.occurredAt).toBe(ctx.receivedAt);
  });

  it('an unparseable start time falls back to the receive time', () => {
    const [event] = eventsOf(webhook({ alerts: [alert({ startsAt: 'yesterday-ish' })] }));
    expect(event?.occurredAt).toBe(ctx.receivedAt);
  });

  it("an alert without a fingerprint gets Alertmanager's own fingerprint of its labels", () => {
    // The test vector of prometheus/common's label set fingerprint.
    const labels = { name: 'garland, briggs', fear: 'love is not enough' };
    const [event] = eventsOf(webhook({ alerts: [alert({ labels })] }));
    expect(event?.dedupKey).toBe('507a62d79ee76c9a');
    expect(alertmanagerFingerprint({})).toBe('cbf29ce484222325');
  });

  it('the derived fingerprint does not depend on label order and separates names from values', () => {
    expect(alertmanagerFingerprint({ a: 'b', c: 'd' })).toBe(alertmanagerFingerprint({ c: 'd', a: 'b' }));
    expect(alertmanagerFingerprint({ a: 'bc' })).not.toBe(alertmanagerFingerprint({ ab: 'c' }));
  });

  it('without a group key the group is named by a hash of the group labels, in any order', () => {
    const first = eventsOf(webhook({ groupKey: undefined, groupLabels: { alertname: 'X', cluster: 'eu' } }));
    const second = eventsOf(webhook({ groupKey: '', groupLabels: { cluster: 'eu', alertname: 'X' } }));
    const other = eventsOf(webhook({ groupKey: undefined, groupLabels: { cluster: 'us', alertname: 'X' } }));
    expect(first[0]?.groupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(second[0]?.groupKey).toBe(first[0]?.groupKey);
    expect(other[0]?.groupKey).not.toBe(first[0]?.groupKey);
  });

  it.each([
    ['critical', 'critical'],
    ['PAGE', 'critical'],
    ['p1', 'critical'],
    ['error', 'error'],
    ['high', 'error'],
    ['major', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['Medium', 'warning'],
    ['minor', 'warning'],
    ['info', 'info'],
    ['low', 'info'],
    ['none', 'info'],
    ['something-else', 'info'],
    ['constructor', 'info'],
    [undefined, 'warning'],
    ['  ', 'warning'],
  ] as const)('a severity label of %j reads as %s', (label, severity) => {
    expect(severityFromLabel(label)).toBe(severity);
  });

  it('the summary prefers the summary annotation, then the description, then the alert name', () => {
    const summaries = eventsOf(
      webhook({
        alerts: [
          alert({ annotations: { summary: 'From summary', description: 'From description' } }),
          alert({ annotations: { summary: '  ', description: 'From description' } }),
          alert({ annotations: {} }),
          alert({ labels: {} }),
        ],
      }),
    ).map((e) => e.summary);
    expect(summaries).toEqual(['From summary', 'From description', 'NodeDown', 'Alertmanager alert']);
  });

  it('the summary names the instance when its text does not already', () => {
    const [named, plain] = eventsOf(
      webhook({
        alerts: [
          alert({ labels: { alertname: 'HighCPU', instance: 'db-2:9100' } }),
          alert({ labels: { alertname: 'HighCPU', instance: 'db-2:9100' }, annotations: { summary: 'CPU hot on db-2:9100' } }),
        ],
      }),
    );
    expect(named?.summary).toBe('HighCPU (db-2:9100)');
    expect(plain?.summary).toBe('CPU hot on db-2:9100');
  });

  it('a summary longer than 1024 characters is cut, not refused', () => {
    const [event] = eventsOf(webhook({ alerts: [alert({ annotations: { summary: 'x'.repeat(5000) } })] }));
    expect(event?.summary).toHaveLength(1024);
    expect(event?.summary.endsWith('…')).toBe(true);
  });

  it('empty and non-web URLs make no links', () => {
    const [event] = eventsOf(webhook({ externalURL: '', alerts: [alert({ generatorURL: 'javascript:alert(1)' })] }));
    expect(event?.links).toEqual([]);
  });

  it('raw keeps the alert as sent, with the receiver, group key and Alertmanager URL beside it', () => {
    const [event] = eventsOf(webhook({ alerts: [alert({ fingerprint: 'ff', x_custom: { n: 1 } })] }));
    expect(event?.raw).toEqual({
      receiver: 'vigil',
      groupKey: '{}/{severity="critical"}:{alertname="NodeDown"}',
      externalURL: 'http://alertmanager.example:9093',
      status: 'firing',
      labels: { alertname: 'NodeDown' },
      fingerprint: 'ff',
      x_custom: { n: 1 },
    });
  });

  it('a minimal hand-written payload with null annotations is accepted', () => {
    const events = eventsOf({ version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Test' }, annotations: null }] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ summary: 'Test', severity: 'warning', annotations: {}, occurredAt: ctx.receivedAt });
  });

  it('a payload without version, status or alerts is refused, naming each missing field', () => {
    const result = alertmanagerWebhookSchema.safeParse({ alerts: [{ status: 'firing', labels: { a: 1 } }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['version', 'status', 'alerts.0.labels.a']);
  });

  it('an alert with an unknown status is refused at its path', () => {
    const result = alertmanagerWebhookSchema.safeParse(webhook({ alerts: [alert({ status: 'pending' })] }));
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['alerts.0.status']);
  });
});

const nearlyValidWebhook = fc.record(
  {
    version: mostly(fc.constantFrom('4', '5')),
    groupKey: mostly(messyText),
    truncatedAlerts: mostly(fc.nat()),
    status: mostly(fc.constantFrom('firing', 'resolved')),
    receiver: mostly(messyText),
    groupLabels: mostly(fc.oneof(messyLabels, fc.constant(null))),
    commonLabels: mostly(messyLabels),
    commonAnnotations: mostly(messyLabels),
    externalURL: mostly(messyUrl),
    alerts: mostly(
      fc.array(
        fc.record(
          {
            status: mostly(fc.constantFrom('firing', 'resolved')),
            labels: mostly(messyLabels),
            annotations: mostly(fc.oneof(messyLabels, fc.constant(null))),
            startsAt: mostly(messyTime),
            endsAt: mostly(messyTime),
            generatorURL: mostly(messyUrl),
            fingerprint: mostly(fc.oneof(messyText, fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }))),
            extra: fc.jsonValue(),
          },
          { requiredKeys: ['status', 'labels'] },
        ),
        { maxLength: 4 },
      ),
    ),
  },
  { requiredKeys: ['version', 'status', 'alerts'] },
);

describeIngestMapperContract<AlertmanagerWebhook>({
  name: 'alertmanagerEvents',
  schema: alertmanagerWebhookSchema,
  map: alertmanagerEvents,
  nearlyValid: nearlyValidWebhook,
  example: webhook(),
});
