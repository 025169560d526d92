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
});
