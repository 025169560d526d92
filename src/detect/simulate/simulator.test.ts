import { describe, expect, it } from 'vitest';
import { parseTransactionLine } from '../../ingest/transactions.js';
import { createWorld, simulateTransactions, toJsonLine, typologies, unitsForUsd, type LabelledTransaction } from './simulator.js';

const take = (options: Parameters<typeof simulateTransactions>[0]): LabelledTransaction[] => [...simulateTransactions(options)];

describe('the labelled transaction generator', () => {
  it('gives exactly the count asked for, in timestamp order', () => {
    const items = take({ scenario: 'mixed', count: 5_000, seed: 1 });
    expect(items).toHaveLength(5_000);
    for (let i = 1; i < items.length; i++) expect(items[i]!.tx.timestamp).toBeGreaterThanOrEqual(items[i - 1]!.tx.timestamp);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = take({ scenario: 'mixed', count: 2_000, seed: 7 }).map(toJsonLine);
    const b = take({ scenario: 'mixed', count: 2_000, seed: 7 }).map(toJsonLine);
    const c = take({ scenario: 'mixed', count: 2_000, seed: 8 }).map(toJsonLine);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('injects every typology in the mixed scenario and none in the background one', () => {
    const mixed = take({ scenario: 'mixed', count: 100_000, seed: 3 });
    const seen = new Set(mixed.flatMap((i) => (i.label === null ? [] : [i.label.typology])));
    expect([...seen].sort()).toEqual([...typologies].sort());
    expect(take({ scenario: 'background', count: 5_000, seed: 3 }).every((i) => i.label === null)).toBe(true);
  });

  it('a single-typology scenario injects only that typology', () => {
    const items = take({ scenario: 'structuring', count: 20_000, seed: 4 });
    const labels = new Set(items.flatMap((i) => (i.label === null ? [] : [i.label.typology])));
    expect([...labels]).toEqual(['structuring']);
  });

  it('the exploit scenario shows all four stages of one attack', () => {
    const items = take({ scenario: 'exploit', count: 30_000, seed: 5 });
    const labels = new Set(items.flatMap((i) => (i.label === null ? [] : [i.label.typology])));
    expect(labels).toEqual(new Set(['mixer-exposure', 'address-poisoning', 'large-transfer', 'peel-chain']));
  });

  it('writes lines the transactions endpoint accepts, with amounts exact', () => {
    for (const item of take({ scenario: 'mixed', count: 3_000, seed: 6 })) {
      const parsed = parseTransactionLine(toJsonLine(item));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.transaction).toEqual(item.tx);
    }
  });

  it('prices amounts in integer arithmetic', () => {
    expect(unitsForUsd(3150, 'ETH')).toBe(10n ** 18n);
    expect(unitsForUsd(9_999.99, 'USDC')).toBe(9_999_990_000n);
    expect(unitsForUsd(97_000, 'BTC')).toBe(100_000_000n);
  });

  it('builds the same world for the same seed, with classes for hot and deposit wallets', () => {
    const world = createWorld(9);
    expect(createWorld(9).watched).toEqual(world.watched);
    expect(Object.values(world.walletClasses)).toEqual(expect.arrayContaining(['hot', 'deposit', 'treasury']));
  });
});
