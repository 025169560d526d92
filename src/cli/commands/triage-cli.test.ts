import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../../app.js';
import { configFromEnv } from '../../config.js';
import { event } from '../../../test/support/vigil.js';
import { vigilIn } from '../../../test/support/cli.js';
import { factFromArguments, parseAmountArgument } from './incident-triage.js';

describe('vigil incident impact|facts|fact and vigil escalation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-triage-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);

  async function seedIncident(labels: Record<string, string>) {
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: { kind: 'cli', id: 't', name: 't' } });
    await v.ingest((await v.store.read.getIntegration(id))!, [event({ severity: 'warning', labels })]);
    await v.close();
  }

  it('records facts from FIELD=VALUE pairs with exact amounts, and explains the impact score they produce', async () => {
    await seedIncident({ tier: '0' });
    const movement = await vigil('incident', 'fact', 'INC-1', 'funds_movement', 'chain=ethereum', 'txHash=0xd1', 'origin=0xhot', 'destination=0xmix', 'destinationType=mixer', 'value=1500.5:ETH:18', 'valueUsd=4,500,000');
    expect(movement.err).toBe('');
    expect(movement.code).toBe(0);
    expect(movement.out).toBe('Funds movement 1500.5 ETH ($4,500,000) from 0xhot to mixer 0xmix in 0xd1; recovery not started\nINC-1 is SEV2\n');
    const impact = await vigil('incident', 'impact', 'INC-1');
    const lines = impact.out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'INC-1 is SEV2; impact:',
      '  SEV2 (impact score 80)',
      '  funds at risk $4,500,000 (≥ $1,000,000): 30 × 2 = 60 — incident facts: 1 funds movement not recovered ($4,500,000)',
    ]);
    expect(lines[3]).toMatch(/^ {2}service criticality tier 0: 20 × 1 = 20 — alert \S+ label tier$/);
    const facts = await vigil('incident', 'facts', 'INC-1', '--json');
    expect(JSON.parse(facts.out).facts[0].value).toEqual({ amount: '1500500000000000000000', asset: 'ETH', decimals: 18, display: '1500.5 ETH' });
    const bad = await vigil('incident', 'fact', 'INC-1', 'address', 'chain=ethereum', 'address=0x1', 'state=stolen');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^vigil: VALIDATION_FAILED: the fact is invalid at state/);
  });

  it('saves a policy and routing from files, lists and shows them', async () => {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ name: 'wallets', levels: [{ name: 'L1 analyst', targets: [{ person: 'alice' }], timeoutMinutes: 5 }, { name: 'L2', targets: [{ channel: 'sec' }], timeoutMinutes: 10 }], repeat: 1 }));
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ match: { services: ['hot-wallet'], severities: ['SEV1', 'SEV2'] }, policy: 'wallets' }]));
    expect((await vigil('escalation', 'set', join(dir, 'policy.json'))).out).toBe('escalation policy wallets saved (2 levels)\n');
    expect((await vigil('escalation', 'route', join(dir, 'routes.json'))).out).toBe('1 routing rule saved\n');
    expect((await vigil('escalation', 'list')).out).toBe('wallets  L1 analyst (5 min) → L2 (10 min)  ×2\n');
    expect((await vigil('escalation', 'routes')).out).toBe('1. service hot-wallet, SEV1|SEV2 → wallets\n');
    expect((await vigil('escalation', 'show', 'wallets')).out).toContain('  2. L2: channel sec; 10 min');
    const inUse = await vigil('escalation', 'delete', 'wallets');
    expect(inUse.code).toBe(1);
    expect(inUse.err).toContain('CONFLICT');
  });
});

describe('fact arguments', () => {
  it('read amounts exactly and refuse more decimals than the asset has', () => {
    expect(parseAmountArgument('value', '0.000000000000000001:ETH:18')).toEqual({ amount: '1', asset: 'ETH', decimals: 18 });
    expect(parseAmountArgument('value', '12:BTC:8')).toEqual({ amount: '1200000000', asset: 'BTC', decimals: 8 });
    expect(() => parseAmountArgument('value', '0.001:USDC:2')).toThrow(/more decimals/);
    expect(() => parseAmountArgument('value', '1.5ETH')).toThrow(/AMOUNT:ASSET:DECIMALS/);
  });

  it('nest dotted keys and split list fields', () => {
    expect(factFromArguments('attacker', ['name=a1', 'addresses=0xa,0xb', 'balance.asset=ETH'])).toEqual({ kind: 'attacker', name: 'a1', addresses: ['0xa', '0xb'], balance: { asset: 'ETH' } });
    expect(() => factFromArguments('address', ['chain'])).toThrow(/FIELD=VALUE/);
  });
});
