import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { type ExposureOptions, ExposureDetector } from './exposure.js';
import { addr, btc, day, eth, t0, testPrices, transfer, utxo } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const mixer = addr('mixer');
const lazarus = addr('lazarus');
const watched = addr('watched');
const attacker = addr('attacker');
const [hop1, hop2] = [addr('hop1'), addr('hop2')];
const detector = (options: Partial<ExposureOptions> = {}) =>
  new ExposureDetector({
    prices: testPrices,
    wallets: new WalletBook({ watched: [watched] }),
    mixers: { [mixer]: 'Tornado Cash 10 ETH' },
    sanctioned: { [lazarus.toUpperCase().replace('0X', '0x')]: 'OFAC SDN Lazarus Group' },
    ...options,
  });
const run = (d: ExposureDetector, txs: Transaction[]) => txs.flatMap((tx) => d.observe(tx));
const send = (from: string, to: string, amount = '1', at = t0) => transfer({ from, to, amount: eth(amount), at });

describe('exposure', () => {
  it('a mixer withdrawal funding an address is reported about that address at the funding stage', () => {
    const tx = send(mixer, attacker, '10');
    const [f] = detector().observe(tx);
    expect(f).toMatchObject({
      alertId: 'VIGIL-MIXER-WITHDRAWAL',
      detector: 'exposure',
      entity: attacker,
      addresses: [attacker, mixer],
      severity: 'Medium',
      stage: 'funding',
      txHashes: [tx.hash],
      labels: [{ entityType: 'address', entity: mixer, label: 'mixer: Tornado Cash 10 ETH', confidence: 1 }],
      metadata: { list: 'mixer', label: 'Tornado Cash 10 ETH', direction: 'received', hops: '1', amount: '10', usdValue: '30000.00', watched: 'false' },
    });
    expect(f?.description).toContain('received 10 ETH ($30,000.00) from mixer');
  });

  it('a mixer deposit is reported about the depositor at the laundering stage', () => {
    const [f] = detector().observe(send(attacker, mixer, '10'));
    expect(f).toMatchObject({ alertId: 'VIGIL-MIXER-DEPOSIT', entity: attacker, stage: 'laundering', metadata: { direction: 'sent' } });
  });

  it('a watched wallet paid by a sanctioned address is critical; list addresses match whatever their case', () => {
    const [f] = detector().observe(send(lazarus, watched, '5'));
    expect(f).toMatchObject({ alertId: 'VIGIL-SANCTIONED-INFLOW', entity: watched, severity: 'Critical', metadata: { list: 'sanctioned', watched: 'true' } });
  });

  it('with a watched-only scope, direct contact of other addresses is not reported', () => {
    const d = detector({ directScope: 'watched' });
    expect(d.observe(send(mixer, attacker))).toEqual([]);
    expect(d.observe(send(mixer, watched))).toHaveLength(1);
  });

  it('a watched wallet two hops from a sanctioned address is reported with the hop count and the path', () => {
    const txs = [send(lazarus, hop1, '2', t0), send(hop1, watched, '1', t0 + 1)];
    const found = run(detector(), txs);
    expect(found.map((f) => f.alertId)).toEqual(['VIGIL-SANCTIONED-INFLOW', 'VIGIL-SANCTIONED-INDIRECT']);
    expect(found[1]).toMatchObject({
      entity: watched,
      severity: 'High',
      addresses: [watched, lazarus, hop1],
      txHashes: txs.map((t) => t.hash),
      metadata: { hops: '2', maxHops: '2', path: `${lazarus} > ${hop1} > ${watched}`, sender: hop1, listedAddress: lazarus },
    });
    expect(found[1]?.stage).toBeUndefined();
  });

  it('three hops away is beyond the default two, and within a configured three', () => {
    const txs = [send(mixer, hop1, '2', t0), send(hop1, hop2, '2', t0 + 1), send(hop2, watched, '1', t0 + 2)];
    expect(run(detector(), txs).filter((f) => f.alertId === 'VIGIL-MIXER-INDIRECT')).toEqual([]);
    const found = run(detector({ maxHops: 3 }), txs).filter((f) => f.alertId === 'VIGIL-MIXER-INDIRECT');
    expect(found).toHaveLength(1);
    expect(found[0]?.metadata).toMatchObject({ hops: '3', path: `${mixer} > ${hop1} > ${hop2} > ${watched}` });
  });

  it('dust from a mixer is reported as small but taints no one: anyone can send it to anyone', () => {
    const found = run(detector(), [send(mixer, hop1, '0.01', t0), send(hop1, watched, '1', t0 + 1)]);
    expect(found.map((f) => [f.alertId, f.severity])).toEqual([['VIGIL-MIXER-WITHDRAWAL', 'Low']]);
  });

  it('a watched wallet passes no taint on to the addresses it pays', () => {
    const other = addr('other-watched');
    const d = new ExposureDetector({ prices: testPrices, wallets: new WalletBook({ watched: [watched, other] }), mixers: { [mixer]: 'mixer' }, maxHops: 3 });
    const found = run(d, [send(mixer, hop1, '2', t0), send(hop1, watched, '1', t0 + 1), send(watched, other, '1', t0 + 2)]);
    expect(found.map((f) => f.entity)).toEqual([hop1, watched]);
  });

  it('taint fades after its TTL', () => {
    const txs = (gap: number) => [send(lazarus, hop1, '2', t0), send(hop1, watched, '1', t0 + gap)];
    expect(run(detector({ taintTtlMs: day }), txs(day)).filter((f) => f.alertId === 'VIGIL-SANCTIONED-INDIRECT')).toHaveLength(1);
    expect(run(detector({ taintTtlMs: day }), txs(day + 1)).filter((f) => f.alertId === 'VIGIL-SANCTIONED-INDIRECT')).toEqual([]);
  });

  it('traffic that touches no list and no tainted address is not reported and leaves no state', () => {
    const d = detector();
    expect(run(d, [send(attacker, hop1), send(hop1, watched), send(watched, hop2)])).toEqual([]);
    expect(d.stateSize()).toBe(0);
  });

  it('a UTXO transaction with a listed input taints every output but its change', () => {
    const tx = utxo({ inputs: [[addr('someone'), btc('0.1')], [lazarus, btc('1')]], outputs: [[hop1, btc('0.5')], [lazarus, btc('0.6')]], at: t0 });
    const d = detector();
    expect(d.observe(tx).map((f) => [f.alertId, f.entity])).toEqual([['VIGIL-SANCTIONED-INFLOW', hop1]]);
    expect(d.observe(utxo({ inputs: [[hop1, btc('0.5')]], outputs: [[watched, btc('0.5')]], at: t0 + 1 })).map((f) => f.metadata.hops)).toEqual(['2']);
  });
});
