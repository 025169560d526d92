import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CentsCells } from './cents-cells.js';

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

describe('CentsCells', () => {
  it('holds every sum exactly, in numbers while safe and in bigints past 2^53 − 1, back and forth', () => {
    const amount = fc.oneof(
      fc.bigInt({ min: -1_000n, max: 1_000n }),
      fc.bigInt({ min: maxSafe - 5n, max: maxSafe + 5n }),
      fc.bigInt({ min: -maxSafe - 5n, max: -maxSafe + 5n }),
      fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    );
    const op = fc.record({ kind: fc.constantFrom('set', 'add'), cell: fc.integer({ min: 0, max: 5 }), value: amount });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const cells = new CentsCells();
        const data = new Float64Array(6);
        const model = new Map<number, bigint>();
        for (const { kind, cell, value } of ops) {
          if (kind === 'set') {
            cells.set(data, cell, value);
            model.set(cell, value);
          } else {
            cells.add(data, cell, value);
            model.set(cell, (model.get(cell) ?? 0n) + value);
          }
          for (let c = 0; c < 6; c += 1) expect(cells.get(data, c)).toBe(model.get(c) ?? 0n);
        }
        const wide = [...model.values()].filter((v) => v > maxSafe || v < -maxSafe).length;
        expect(cells.wide).toBe(wide);
      }),
    );
  });

  it('keeps a safe amount as a plain number in the cell', () => {
    const cells = new CentsCells();
    const data = new Float64Array(2);
    cells.add(data, 1, maxSafe - 1n);
    cells.add(data, 1, 1n);
    expect(data[1]).toBe(Number.MAX_SAFE_INTEGER);
    cells.add(data, 1, 1n);
    expect(Number.isNaN(data[1])).toBe(true);
    expect(cells.get(data, 1)).toBe(maxSafe + 1n);
    cells.add(data, 1, -2n);
    expect(data[1]).toBe(Number.MAX_SAFE_INTEGER - 1);
    expect(cells.wide).toBe(0);
  });

  it('steps an average towards a target exactly as bigint arithmetic does, truncating toward zero', () => {
    const amount = fc.oneof(
      fc.bigInt({ min: 0n, max: 10_000n }),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.bigInt({ min: maxSafe / 1_000_000n - 3n, max: maxSafe / 1_000_000n + 3n }),
      fc.bigInt({ min: maxSafe - 3n, max: maxSafe + 3n }),
      fc.bigInt({ min: 0n, max: 2n ** 100n }),
    );
    const ppm = fc.oneof(fc.constantFrom(0, 1, 100_000, 333_333, 500_000, 999_999, 1_000_000), fc.integer({ min: 0, max: 1_000_000 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, ppm), { minLength: 1, maxLength: 30 }), amount, (steps, start) => {
        const cells = new CentsCells();
        const data = new Float64Array(2);
        cells.set(data, 0, start);
        let model = start;
        for (const [target, p] of steps) {
          cells.set(data, 1, target);
          cells.stepTowards(data, { cell: 0, target: 1 }, p);
          model += ((target - model) * BigInt(p)) / 1_000_000n;
          expect(cells.get(data, 0)).toBe(model);
        }
      }),
      { numRuns: 500 },
    );
  });
});
