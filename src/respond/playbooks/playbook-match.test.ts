import { describe, expect, it } from 'vitest';
import { alertCouldMatch, incidentTypes, matchPlaybook } from './playbook-match.js';
import type { Playbook } from './playbook.js';
import { evidenceProblem } from './evidence-value.js';

const playbook = (match: Playbook['match']): Playbook => ({ name: 'p', title: 'P', description: 'd', match, steps: [] });
const incident = { service: 'wallets', severity: 'SEV2' as const };

describe('playbook matching', () => {
  it('takes the incident type from alertname, type, typology or Forta alertId, in that order, without case', () => {
    expect(incidentTypes([{ labels: { alertname: 'HotWalletDrain', type: 'x' } }, { labels: { alertId: 'VIGIL-LARGE-TRANSFER' } }, { labels: {} }])).toEqual([
      'hotwalletdrain',
      'vigil-large-transfer',
    ]);
  });

  it('matches on type, service, severity at or above, label equality and label regex, and says why', () => {
    const alerts = [{ labels: { alertname: 'HotWalletDrain', chain: 'ethereum', wallet: 'hot-2' } }];
    expect(matchPlaybook(playbook([{ types: ['hotwalletdrain'] }]), incident, alerts)).toBe('type=hotwalletdrain');
    expect(matchPlaybook(playbook([{ services: ['wallets'], severityAtLeast: 'SEV3' }]), incident, alerts)).toBe('service=wallets, severity=SEV2');
    expect(matchPlaybook(playbook([{ severityAtLeast: 'SEV1' }]), incident, alerts)).toBeUndefined();
    expect(matchPlaybook(playbook([{ labels: { chain: { equals: 'ethereum' }, wallet: { regex: '^hot-\\d$' } } }]), incident, alerts)).toBe('chain=ethereum, wallet=hot-2');
    expect(matchPlaybook(playbook([{ labels: { chain: { equals: 'bitcoin' } } }]), incident, alerts)).toBeUndefined();
  });

  it('needs every criterion of a matcher but only one matcher, and never matches without matchers', () => {
    const alerts = [{ labels: { alertname: 'NodeBehind' } }];
    expect(matchPlaybook(playbook([{ types: ['NodeBehind'], services: ['nodes'] }]), incident, alerts)).toBeUndefined();
    expect(matchPlaybook(playbook([{ services: ['nodes'] }, { types: ['NodeBehind'] }]), incident, alerts)).toBe('type=nodebehind');
    expect(matchPlaybook(playbook([]), incident, alerts)).toBeUndefined();
  });
});

describe('which playbooks a joining alert can make match', () => {
  it('is those with a type or label criterion the alert satisfies, whatever the other criteria', () => {
    const both = playbook([{ types: ['ChainHalt'], labels: { chain: { equals: 'solana' } } }]);
    expect(alertCouldMatch(both, { labels: { alertname: 'chainhalt' } })).toBe(true);
    expect(alertCouldMatch(both, { labels: { alertname: 'Other', chain: 'solana' } })).toBe(true);
    expect(alertCouldMatch(both, { labels: { alertname: 'Other', chain: 'bitcoin' } })).toBe(false);
    expect(alertCouldMatch(playbook([{ services: ['wallets'] }]), { labels: { alertname: 'ChainHalt' } })).toBe(false);
    expect(alertCouldMatch(playbook([{ labels: { depth: { regex: '^[6-9]$' } } }]), { labels: { depth: '7' } })).toBe(true);
  });
});

describe('evidence values', () => {
  it.each([
    ['tx_hash', `0x${'ab'.repeat(32)}`],
    ['tx_hash', 'cd'.repeat(32)],
    ['address', `0x${'12'.repeat(20)}`],
    ['address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['url', 'https://explorer.example/tx/1'],
    ['number', '-12.5'],
    ['amount', '1500000000000000000'],
    ['text', 'anything'],
  ] as const)('accepts a %s like %s', (kind, value) => {
    expect(evidenceProblem(kind, value)).toBeUndefined();
  });

  it.each([
    ['tx_hash', '0x1234'],
    ['address', '0xnot-an-address'],
    ['url', 'javascript:alert(1)'],
    ['number', '1e400'],
    ['amount', '1.5'],
    ['amount', '-1'],
    ['text', '   '],
  ] as const)('refuses a %s like %s', (kind, value) => {
    expect(evidenceProblem(kind, value)).toMatch(/^must be/);
  });
});
