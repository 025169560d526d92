import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable } from './pair-table.js';

describe('PairTable', () => {
  it('answers as a map of pairs through any sequence of sets and deletes, across growth', () => {
    const op = fc.record({ set: fc.boolean(), a: fc.nat(40), b: fc.nat(40), value: fc.nat(1_000_000) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const table = new PairTable(16);
        const model = new Map<string, number>();
        for (const { set, a, b, value } of ops) {
          if (set) {
            table.set(a, b, value);
            model.set(`${a},${b}`, value);
          } else {
            expect(table.delete(a, b)).toBe(model.delete(`${a},${b}`));
          }
          expect(table.size).toBe(model.size);
        }
        for (let a = 0; a <= 40; a += 1) {
          for (let b = 0; b <= 40; b += 1) expect(table.get(a, b)).toBe(model.get(`${a},${b}`) ?? -1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every entry findable when deletes shift runs back, wrapped past the last bucket too', () => {
    // At most seven entries in sixteen buckets: the table never grows, so runs of collisions
    // wrap around its end often, and each delete must shift the run after it back.
    const op = fc.record({ a: fc.nat(1_000), b: fc.nat(1_000), victim: fc.nat(6) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const table = new PairTable(16);
        const model = new Map<string, [number, number]>();
        for (const [i, { a, b, victim }] of ops.entries()) {
          if (model.size === 7) {
            const key = [...model.keys()][victim] ?? '';
            const [va, vb] = model.get(key) ?? [0, 0];
            expect(table.delete(va, vb)).toBe(true);
            model.delete(key);
          }
          table.set(a, b, i);
          model.set(`${a},${b}`, [a, b]);
          for (const [x, y] of model.values()) expect(table.get(x, y)).not.toBe(-1);
        }
        expect(table.size).toBe(model.size);
      }),
      { numRuns: 300 },
    );
  });
});
