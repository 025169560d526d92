import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../core/ids.js';
import { fortaEvents, fortaFindingsSchema, type FortaFindings } from './forta.js';
import { describeIngestMapperContract, messyText, messyTime, mostly, mostlyFilledText } from './ingest-mapper.contract.js';

const ctx = { receivedAt: Date.UTC(2024, 2, 7, 12, 0, 0), ids: sequentialIds() };

/** A finding as the JavaScript SDK serialises it. */
function finding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Large Tether Transfer',
    description: '1000000 USDT transferred',
    alertId: 'FORTA-1',
    protocol: 'ethereum',
    severity: 'High',
    type: 'Suspicious',
    metadata: { from: '0xAbC', amount: '1000000', blocks: 3 },
    addresses: ['0xAAA', '0xbbb'],
    labels: [{ entityType: 'Address', entity: '0xabc', label: 'attacker', confidence: 0.9, remove: false, metadata: {} }],
    source: { chainId: 1, transactionHash: '0xdeadbeef', block: { number: 19_000_000, hash: '0xbeef', chainId: 1 } },
    timestamp: '2024-03-07T11:59:00.000Z',
    ...overrides,
  };
}

function eventsOf(body: unknown) {
  return fortaEvents(fortaFindingsSchema.parse(body), ctx);
}

describe('Forta findings', () => {
  it('a finding becomes a trigger grouped by its alert id', () => {
    const [event, ...rest] = eventsOf(finding());
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      source: 'forta',
      action: 'trigger',
      groupKey: 'FORTA-1',
      severity: 'error',
      summary: 'Large Tether Transfer: 1000000 USDT transferred',
      labels: { alertId: 'FORTA-1', findingType: 'Suspicious', protocol: 'ethereum', chainId: '1' },
      annotations: { description: '1000000 USDT transferred', from: '0xAbC', amount: '1000000' },
      links: [],
      raw: finding(),
      occurredAt: Date.parse('2024-03-07T11:59:00.000Z'),
    });
    expect(event?.fingerprint).toBe(event?.dedupKey);
  });

  it('one finding, a list of findings and a findings envelope are all accepted, one event per finding', () => {
    expect(eventsOf(finding())).toHaveLength(1);
    expect(eventsOf([finding(), finding({ alertId: 'FORTA-2' })])).toHaveLength(2);
    expect(eventsOf({ findings: [finding(), finding(), finding()] })).toHaveLength(3);
    expect(eventsOf({ findings: [] })).toEqual([]);
  });

  it('numeric severities and types read as the names they stand for', () => {
    const [byNumber] = eventsOf(finding({ severity: 5, type: 1 }));
    expect(byNumber?.severity).toBe('critical');
    expect(byNumber?.labels.findingType).toBe('Exploit');
  });

  it.each([
    ['Critical', 'critical'],
    ['High', 'error'],
    ['Medium', 'warning'],
    ['Low', 'info'],
    ['Info', 'info'],
    ['Unknown', 'info'],
  ] as const)('a %s finding is a %s alert', (fortaSeverity, severity) => {
    expect(eventsOf(finding({ severity: fortaSeverity }))[0]?.severity).toBe(severity);
  });

  it('the same detection about the same addresses, in any order or case, deduplicates', () => {
    const [first] = eventsOf(finding({ addresses: ['0xAAA', '0xbbb'] }));
    const [again] = eventsOf(finding({ addresses: ['0xBBB', '0xaaa', '0xAaA'], description: 'another amount' }));
    const [otherAddress] = eventsOf(finding({ addresses: ['0xaaa'] }));
    const [otherDetection] = eventsOf(finding({ alertId: 'FORTA-2' }));
    expect(first?.dedupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(again?.dedupKey).toBe(first?.dedupKey);
    expect(otherAddress?.dedupKey).not.toBe(first?.dedupKey);
    expect(otherDetection?.dedupKey).not.toBe(first?.dedupKey);
  });

  it("the bot's unique key, when it gives one, is the dedup key", () => {
    expect(eventsOf(finding({ uniqueKey: 'tx-0xdeadbeef' }))[0]?.dedupKey).toBe('tx-0xdeadbeef');
    expect(eventsOf(finding({ uniqueKey: 'u'.repeat(300) }))[0]?.dedupKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the chain id is read from the block when the source has none at its top', () => {
    expect(eventsOf(finding({ source: { block: { chainId: 137 } } }))[0]?.labels.chainId).toBe('137');
    expect(eventsOf(finding({ source: null, protocol: undefined }))[0]?.labels).toEqual({ alertId: 'FORTA-1', findingType: 'Suspicious' });
  });

  it('a metadata entry named description cannot replace the description', () => {
    expect(eventsOf(finding({ metadata: { description: 'spoofed' } }))[0]?.annotations.description).toBe('1000000 USDT transferred');
  });

  it('a finding without a time happened when it was received', () => {
    expect(eventsOf(finding({ timestamp: undefined }))[0]?.occurredAt).toBe(ctx.receivedAt);
  });

  it('a very long description is cut in the summary but kept whole in the annotations', () => {
    const [event] = eventsOf(finding({ description: 'd'.repeat(5000) }));
    expect(event?.summary).toHaveLength(1024);
    expect(event?.annotations.description).toHaveLength(5000);
  });

  it('a bad finding in a list is refused at its own path', () => {
    const inEnvelope = fortaFindingsSchema.safeParse({ findings: [finding(), finding({ alertId: '' })] });
    const inList = fortaFindingsSchema.safeParse([finding({ severity: 'Severe' })]);
    const alone = fortaFindingsSchema.safeParse(finding({ name: undefined }));
    expect(inEnvelope.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['findings.1.alertId']);
    expect(inList.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['0.severity']);
    expect(alone.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['name']);
  });

  it('a severity outside the numeric enum is refused', () => {
    expect(fortaFindingsSchema.safeParse(finding({ severity: 6 })).success).toBe(false);
    expect(fortaFindingsSchema.safeParse(finding({ type: 1.5 })).success).toBe(false);
  });
});

const nearlyValidFinding = fc.record(
  {
    name: mostly(mostlyFilledText),
    description: mostly(mostlyFilledText),
    alertId: mostly(mostlyFilledText),
    severity: mostly(fc.oneof(fc.constantFrom('Unknown', 'Info', 'Low', 'Medium', 'High', 'Critical'), fc.integer({ min: -1, max: 6 }))),
    type: mostly(fc.oneof(fc.constantFrom('Unknown', 'Exploit', 'Suspicious', 'Degraded', 'Info', 'Scam'), fc.integer({ min: 0, max: 5 }))),
    protocol: mostly(fc.oneof(messyText, fc.constant(null))),
    metadata: mostly(fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(messyText, fc.integer(), fc.jsonValue()), { maxKeys: 5 })),
    addresses: mostly(fc.array(fc.oneof(messyText, fc.constantFrom('0xAbC', '0xabc')), { maxLength: 4 })),
    labels: mostly(fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }), { maxLength: 2 })),
    uniqueKey: mostly(fc.oneof(messyText, fc.constant(null))),
    source: mostly(
      fc.oneof(
        fc.record({ chainId: fc.oneof(fc.integer(), messyText, fc.double()), block: fc.oneof(fc.record({ chainId: fc.anything() }), fc.anything()) }, { requiredKeys: [] }),
        fc.constant(null),
      ),
    ),
    timestamp: mostly(messyTime),
  },
  { requiredKeys: ['name', 'description', 'alertId', 'severity', 'type'] },
);

describeIngestMapperContract<FortaFindings>({
  name: 'fortaEvents',
  schema: fortaFindingsSchema,
  map: fortaEvents,
  nearlyValid: fc.oneof(
    nearlyValidFinding,
    fc.array(nearlyValidFinding, { maxLength: 3 }),
    fc.record({ findings: mostly(fc.array(nearlyValidFinding, { maxLength: 3 })) }),
  ),
  example: finding(),
});
