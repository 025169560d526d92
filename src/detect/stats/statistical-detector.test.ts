import { describe, expect, it } from 'vitest';
import type { AccountTransaction, Transaction, UtxoTransaction } from '../../core/transaction.js';
import { SeededRandom } from './seeded-random.js';
import { StatisticalDetector } from './statistical-detector.js';

const start = Date.parse('2026-01-01T00:00:00Z');
const minute = 60_000;
const day = 86_400_000;
const eth = 10n ** 18n;

function transfer(overrides: Partial<AccountTransaction> = {}): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: '0x0',
    asset: 'ETH',
    decimals: 18,
    fee: 10n ** 14n,
    block: 1,
    timestamp: start,
    status: 'success',
    from: '0xsender',
    to: '0xpeer',
    amount: eth,
    nonce: null,
    tokenContract: null,
    logs: [],
    ...overrides,
  };
}

/** Whole units as base units, from a log10: amounts in the generated stream are lognormal. */
function units(log10: number): bigint {
  return BigInt(Math.round(10 ** (log10 + 6))) * 10n ** 12n;
}

interface Labelled {
  readonly tx: AccountTransaction;
  readonly outlier: boolean;
}

/**
 * A seeded stream: 200 senders, each with its own typical amount (lognormal), a few regular
 * counterparties, working hours and a fee level. After the first fifth, 0.5% of transfers are
 * injected drains: at least 100 times the sender's typical amount and at least 8 of its standard
 * deviations (in log10) above it, to a new address, at night, with a high fee.
 */
function generatedStream(seed: number, count: number): Labelled[] {
  const r = new SeededRandom(seed);
  const senders = Array.from({ length: 200 }, (_, i) => ({
    address: `0xa${i.toString(16).padStart(39, '0')}`,
    log10Median: r.between(-1, 3),
    spread: r.between(0.1, 0.4),
    peers: Array.from({ length: 3 + r.int(3) }, (_, j) => `0xb${(i * 100 + j).toString(16).padStart(39, '0')}`),
    hour: 8 + r.between(0, 10),
  }));
  const out: Labelled[] = [];
  let t = start;
  for (let i = 0; i < count; i += 1) {
    t += Math.floor(-Math.log(1 - r.next()) * minute);
    const s = senders[r.int(senders.length)] ?? senders[0]!;
    const outlier = i > count / 5 && r.next() < 0.005;
    const midnight = Math.floor(t / day) * day;
    const tx = outlier
      ? transfer({
          timestamp: midnight + Math.floor(r.between(1, 4) * 3_600_000),
          amount: units(s.log10Median + Math.max(2, 8 * s.spread) + r.between(0, 1)),
          to: `0xc${i.toString(16).padStart(39, '0')}`,
          fee: units(-2 + 0.3 * r.normal()),
        })
      : transfer({
          timestamp: midnight + Math.floor((s.hour + 1.5 * r.normal()) * 3_600_000),
          amount: units(s.log10Median + s.spread * r.normal()),
          to: r.next() < 0.1 ? `0xd${i.toString(16).padStart(39, '0')}` : (s.peers[r.int(s.peers.length)] ?? ''),
          fee: units(-4 + 0.3 * r.normal()),
        });
    out.push({ outlier, tx: { ...tx, hash: `0x${i.toString(16)}`, block: i, from: s.address } });
  }
  return out;
}

function auc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

describe('StatisticalDetector', () => {
  it('raises a finding for a transfer far above what its sender usually sends, with its scores as strings', () => {
    const detector = new StatisticalDetector();
    const random = new SeededRandom(1);
    for (let i = 0; i < 40; i += 1) {
      expect(detector.observe(transfer({ hash: `0x${i}`, amount: units(0.1 * random.normal()), timestamp: start + i * minute }))).toEqual([]);
    }
    const drain = transfer({ hash: '0xdrain', from: '0xSENDER', to: '0xthief', amount: 250n * eth, timestamp: start + 41 * minute });
    const [finding, ...rest] = detector.observe(drain);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      alertId: 'VIGIL-STAT-OUTLIER',
      detector: 'stats',
      entity: '0xsender',
      addresses: ['0xsender', '0xthief'],
      txHashes: ['0xdrain'],
      at: start + 41 * minute,
      type: 'Suspicious',
    });
    expect(finding).not.toHaveProperty('stage');
    const metadata = finding?.metadata ?? {};
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(metadata.reasons).toContain('robust-z');
    expect(metadata.amount).toBe('250');
    expect(metadata.baselineCount).toBe('40');
    expect(Number(metadata.robustZ)).toBeGreaterThan(10);
    expect(Math.abs(Number(metadata.median))).toBeLessThan(0.1);
    expect(finding?.description).toContain('250 ETH from 0xsender');
  });

  it('raises nothing while the sender is warming up', () => {
    const detector = new StatisticalDetector({ warmup: 20 });
    for (let i = 0; i < 19; i += 1) detector.observe(transfer({ timestamp: start + i * minute }));
    expect(detector.observe(transfer({ amount: 1_000n * eth, timestamp: start + 20 * minute }))).toEqual([]);
    expect(detector.lastScores()?.priorCount).toBe(19);
  });

  it('flags an unusually small transfer too, unless only the high side is asked for', () => {
    const both = new StatisticalDetector();
    const high = new StatisticalDetector({ side: 'high' });
    for (let i = 0; i < 30; i += 1) {
      both.observe(transfer({ timestamp: start + i * minute }));
      high.observe(transfer({ timestamp: start + i * minute }));
    }
    const tiny = transfer({ amount: eth / 1_000n, timestamp: start + 31 * minute });
    expect(both.observe(tiny)[0]?.metadata.reasons).toBe('robust-z');
    expect(high.observe(tiny).filter((f) => f.metadata.reasons?.includes('robust-z'))).toEqual([]);
  });

  it('keeps a baseline per asset, so a token never compares with ether', () => {
    const detector = new StatisticalDetector();
    for (let i = 0; i < 30; i += 1) detector.observe(transfer({ timestamp: start + i * minute }));
    detector.observe(transfer({ asset: 'USDC', decimals: 6, amount: 5_000_000_000n, tokenContract: '0xa0b8', timestamp: start + 31 * minute }));
    expect(detector.lastScores()?.priorCount).toBe(0);
    expect(detector.stateSize()).toBe(2);
  });

  it('skips failed, pending and zero-amount transactions', () => {
    const detector = new StatisticalDetector();
    expect(detector.observe(transfer({ status: 'failed' }))).toEqual([]);
    expect(detector.observe(transfer({ status: 'pending' }))).toEqual([]);
    expect(detector.observe(transfer({ amount: 0n }))).toEqual([]);
    expect(detector.stateSize()).toBe(0);
    expect(detector.lastScores()).toBeUndefined();
  });

  it('takes the UTXO sender to be the input that put in the most, and change out of the amount', () => {
    const detector = new StatisticalDetector();
    const tx: UtxoTransaction = {
      kind: 'utxo',
      chain: 'bitcoin',
      hash: 'b1',
      asset: 'BTC',
      decimals: 8,
      fee: 1_000n,
      block: 1,
      timestamp: start,
      status: 'success',
      inputs: [
        { address: 'bc1small', amount: 10_000n },
        { address: 'bc1big', amount: 90_000_000n },
      ],
      outputs: [
        { address: 'bc1payee', amount: 50_000_000n },
        { address: 'bc1big', amount: 40_009_000n },
      ],
    };
    detector.observe(tx);
    expect(detector.lastScores()?.log10Amount).toBeCloseTo(Math.log10(0.5), 12);
    const again = detector.observe({ ...tx, hash: 'b2', outputs: [{ address: 'bc1payee', amount: 90_000_000_000n }] });
    expect(again).toEqual([]);
    expect(detector.lastScores()?.priorCount).toBe(1);
  });

  it('finds every injected drain from a warmed-up sender in a seeded stream, with few false alarms, and Half-Space Trees rank them (AUC ≥ 0.9) and flag most on their own', () => {
    const detector = new StatisticalDetector({ prices: { ETH: '3000' } });
    const stream = generatedStream(11, 20_000);
    const hst = { outliers: [] as number[], normals: [] as number[] };
    /** Transfers the trees alone put at or above the default threshold (0.9), once they are ready. */
    const treesFlag = { outliers: 0, normals: 0 };
    let found = 0;
    let outliers = 0;
    let warmOutliers = 0;
    let falseAlarms = 0;
    for (const { tx, outlier } of stream) {
      const raised = detector.observe(tx).length > 0;
      const score = detector.lastScores()?.hstScore ?? 0;
      if (outlier) {
        outliers += 1;
        if ((detector.lastScores()?.priorCount ?? 0) >= 20) warmOutliers += 1;
        if (raised) found += 1;
      } else if (raised) {
        falseAlarms += 1;
      }
      if (tx.block >= 5_000) (outlier ? hst.outliers : hst.normals).push(score);
      if (score >= 0.9) treesFlag[outlier ? 'outliers' : 'normals'] += 1;
    }
    expect(warmOutliers).toBeGreaterThan(50);
    expect(found).toBeGreaterThanOrEqual(warmOutliers);
    expect(falseAlarms / (stream.length - outliers)).toBeLessThan(0.001);
    expect(auc(hst.outliers, hst.normals)).toBeGreaterThanOrEqual(0.9);
    // The default trees and threshold on their own: most drains, and no false alarm.
    expect(treesFlag.normals).toBe(0);
    expect(treesFlag.outliers / outliers).toBeGreaterThan(0.6);
  });

  it('gives the same findings for the same stream', () => {
    const stream = generatedStream(12, 5_000).map((l) => l.tx);
    const run = (): unknown[] => {
      const detector = new StatisticalDetector();
      return stream.flatMap((tx: Transaction) => detector.observe(tx));
    };
    const first = run();
    expect(first.length).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });

  it('drops baselines not seen within the TTL, in event time, and holds at most maxEntries', () => {
    const capped = new StatisticalDetector({ maxEntries: 100 });
    for (let i = 0; i < 1_000; i += 1) capped.observe(transfer({ from: `0x${i}`, timestamp: start + i }));
    expect(capped.stateSize()).toBe(100);

    const expiring = new StatisticalDetector({ ttlMs: day });
    expiring.observe(transfer({ from: '0xold', timestamp: start }));
    expiring.observe(transfer({ from: '0xnew', timestamp: start + 2 * day }));
    expect(expiring.stateSize()).toBe(1);
    expiring.observe(transfer({ from: '0xold', timestamp: start + 2 * day + 1 }));
    expect(expiring.lastScores()?.priorCount).toBe(0);
  });
});
