/**
 * What every typology detector promises, checked for each of the nine: findings in the shared
 * Forta shape, the same findings for the same stream, and state that stays under its caps when
 * 200,000 distinct addresses go by.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { type TypologyConfigInput, createTypologyDetectors } from './index.js';
import { addr, btc, eth, hour, lookAlike, minute, mixedStream, t0, transfer, usdc, utxo } from './test-builder.js';
import type { TypologyDetector } from './transaction-detector.js';

const hot = addr('hot');
const watched = lookAlike({ head: 'beef', tail: 'cafe', fill: '1' });
const mixer = addr('mixer');
const cap = 1_000;

const config: TypologyConfigInput = {
  prices: { ETH: '3000', USDC: '1', BTC: '100000' },
  wallets: { classes: { [hot]: 'hot' }, watched: [watched] },
  lists: { mixers: { [mixer]: 'Tornado Cash' }, sanctioned: { [addr('ofac')]: 'OFAC SDN' } },
  structuring: { maxEntities: cap },
  fanOutFanIn: { maxEntities: cap, minCounterparties: 5 },
  passThrough: { maxEntities: cap },
  peelChain: { maxEntities: cap },
  exposure: { maxEntities: cap },
  addressPoisoning: { maxCounterparties: cap, maxPoisoners: cap },
  dusting: { maxEntities: cap, minRecipients: 5 },
  velocity: { maxEntities: cap, warmupHours: 2, minCount: 5 },
};

const names = createTypologyDetectors(config).map((d) => d.name);
const detectorNamed = (name: string): TypologyDetector => createTypologyDetectors(config).find((d) => d.name === name)!;

/** Transaction `i` of a stream of 200,000 that exercises each detector's state with new addresses. */
const stressors: Record<string, { readonly bound: number; readonly tx: (i: number) => Transaction }> = {
  'large-transfer': { bound: 0, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: eth('100'), at: t0 + i }) },
  structuring: { bound: 2 * cap, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: usdc('9500'), asset: 'USDC', at: t0 + i }) },
  'fan-out-fan-in': { bound: 2 * cap, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: eth('1'), at: t0 + i }) },
  'pass-through': { bound: cap, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: eth('1'), at: t0 + i }) },
  'peel-chain': {
    bound: 2 * cap,
    tx: (i) =>
      i % 2 === 0
        ? transfer({ from: addr(3 * i + 1), to: addr(3 * i + 2), amount: eth('1'), at: t0 + i })
        : utxo({ inputs: [[addr(3 * i + 1), btc('1')]], outputs: [[addr(3 * i + 2), btc('0.05')], [addr(3 * i + 3), btc('0.94')]], at: t0 + i }),
  },
  exposure: { bound: cap, tx: (i) => transfer({ from: mixer, to: addr(i + 1), amount: eth('1'), at: t0 + i }) },
  'address-poisoning': { bound: cap, tx: (i) => transfer({ from: addr(i * 7919 + 1), to: watched, amount: eth('1'), at: t0 + i }) },
  dusting: { bound: cap, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: eth('0.0001'), at: t0 + i }) },
  velocity: { bound: cap, tx: (i) => transfer({ from: addr(2 * i + 1), to: addr(2 * i + 2), amount: eth('1'), at: t0 + i }) },
};

/** A stream with something for every typology in it, built from the seed. */
function eventfulStream(seed: number): Transaction[] {
  const txs: Transaction[] = mixedStream({ count: 3_000, seed, population: 40 });
  const later = (txs.at(-1)?.timestamp ?? t0) + minute;
  const friend = lookAlike({ head: 'a1b2', tail: 'c3d4', fill: '5' });
  txs.push(
    transfer({ from: watched, to: friend, amount: eth('2'), at: later }),
    transfer({ from: lookAlike({ head: 'a1b2', tail: 'c3d4', fill: 'e' }), to: watched, amount: 0n, at: later + 1 }),
    transfer({ from: mixer, to: addr(77), amount: eth('3'), at: later + 2 }),
    transfer({ from: addr(77), to: watched, amount: eth('2'), at: later + 3 }),
    ...Array.from({ length: 6 }, (_, i) => transfer({ from: addr('duster'), to: addr(500 + i), amount: eth('0.0001'), at: later + 4 + i })),
  );
  return txs;
}

function replay(stream: readonly Transaction[], detectors: readonly TypologyDetector[]): Finding[] {
  return stream.flatMap((tx) => detectors.flatMap((d) => d.observe(tx)));
}

const severities = new Set(['Unknown', 'Info', 'Low', 'Medium', 'High', 'Critical']);
const types = new Set(['Unknown', 'Exploit', 'Suspicious', 'Degraded', 'Info', 'Scam']);
const stages = new Set(['funding', 'preparation', 'exploitation', 'laundering']);

function expectWellFormed(f: Finding, input: { detector: TypologyDetector; tx: Transaction }): void {
  expect(f.detector).toBe(input.detector.name);
  expect(f.alertId).toMatch(/^VIGIL-[A-Z]+(-[A-Z]+)*$/);
  expect(severities.has(f.severity)).toBe(true);
  expect(types.has(f.type)).toBe(true);
  if (f.stage !== undefined) expect(stages.has(f.stage)).toBe(true);
  expect(f.addresses[0]).toBe(f.entity);
  for (const a of f.addresses) expect(a).toBe(a.toLowerCase());
  expect(new Set(f.addresses).size).toBe(f.addresses.length);
  expect(f.at).toBe(input.tx.timestamp);
  expect(f.txHashes).toContain(input.tx.hash);
  for (const value of Object.values(f.metadata)) expect(typeof value).toBe('string');
  expect(f.name.length).toBeGreaterThan(0);
  expect(f.description).not.toMatch(/undefined|NaN|\[object/);
}

describe.each(names)('%s', (name) => {
  it('the same stream twice gives the same findings', () => {
    const stream = eventfulStream(7);
    expect(replay(stream, [detectorNamed(name)])).toEqual(replay(stream, [detectorNamed(name)]));
  });

  it('every finding has the shared shape: entity first, addresses lowercased, time and transaction from the data', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ from: fc.integer({ min: 0, max: 12 }), to: fc.integer({ min: 0, max: 12 }), units: fc.bigInt({ min: 0n, max: 50_000n }), gap: fc.integer({ min: 0, max: 20 * minute }), kind: fc.constantFrom('eth', 'usdc', 'btc') }),
          { maxLength: 120 },
        ),
        (steps) => {
          const detector = detectorNamed(name);
          const party = (n: number) => [hot, watched, mixer, addr('ofac')][n] ?? addr(n).toUpperCase().replace('0X', '0x');
          let at = t0;
          for (const s of steps) {
            at += s.gap;
            const tx: Transaction =
              s.kind === 'btc'
                ? utxo({ inputs: [[party(s.from), s.units * 100_000n + 1n]], outputs: [[party(s.to), s.units * 90_000n], [party(s.from + 1), s.units * 9_000n]], at })
                : transfer({ from: party(s.from), to: party(s.to), amount: s.kind === 'eth' ? s.units * 10n ** 15n : usdc('9000') + s.units * 20_000n, asset: s.kind === 'eth' ? 'ETH' : 'USDC', at });
            for (const f of detector.observe(tx)) expectWellFormed(f, { detector, tx });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('200,000 distinct addresses leave state under the cap', () => {
    const detector = detectorNamed(name);
    const { bound, tx } = stressors[name]!;
    let peak = 0;
    for (let i = 0; i < 200_000; i += 1) {
      detector.observe(tx(i));
      if (i % 1_000 === 999) peak = Math.max(peak, detector.stateSize());
    }
    expect(peak).toBeLessThanOrEqual(bound);
    // The stream did reach the cap: the bound held under pressure, not for want of state.
    if (bound > 0) expect(peak).toBeGreaterThanOrEqual(cap / 2);
  });
});

describe('all nine together', () => {
  it('a replay of the same stream finds the same things, and several typologies fire on it', () => {
    const stream = eventfulStream(42);
    const first = replay(stream, createTypologyDetectors(config));
    expect(replay(stream, createTypologyDetectors(config))).toEqual(first);
    const fired = new Set(first.map((f) => f.detector));
    expect(fired.size).toBeGreaterThanOrEqual(5);
  });

  it('time comes only from the data: findings do not depend on when the test runs', () => {
    const stream = eventfulStream(3);
    const times = new Set(stream.map((t) => t.timestamp));
    for (const f of replay(stream, createTypologyDetectors(config))) expect(times.has(f.at)).toBe(true);
    expect(hour).toBe(3_600_000);
  });
});
