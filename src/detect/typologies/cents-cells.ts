/** The largest magnitude a float64 holds every integer up to: 2^53 − 1. */
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact integer amounts (USD cents) in cells of a detector's own `Float64Array`, kept as numbers
 * while they are safe integers and as `bigint`s in a map beside it past that (the cell then holds
 * NaN). A `bigint` field replaced at every transfer is a new heap object each time, and one that
 * lives as long as its entity is copied by the collector into the old generation; a number in a
 * typed array is written in place. Every sum is exact either way: a number is kept only while it
 * is a safe integer, which covers any real figure (2^53 cents is 90 trillion dollars), and a
 * crafted amount past it goes to the map.
 *
 * The map is keyed by cell index: the caller keeps an entity's cells at fixed indices (a slot
 * times a stride) and writes a fresh entity's cells with `set` before it adds to them.
 *
 * For cents, not base units: totals of base units pass 2^53 all the time (one ether is 10^18 wei)
 * and would live in the map; the counterparty graph keeps those as 128-bit totals in uint64 words.
 */
export class CentsCells {
  /** The amounts past 2^53 − 1 in magnitude, by cell index. */
  readonly #wide = new Map<number, bigint>();

  get(data: Float64Array, cell: number): bigint {
    const value = data[cell] ?? 0;
    return Number.isNaN(value) ? (this.#wide.get(cell) ?? 0n) : BigInt(value);
  }

  set(data: Float64Array, cell: number, value: bigint): void {
    if (this.#wide.size > 0) this.#wide.delete(cell);
    if (value <= maxSafe && value >= -maxSafe) data[cell] = Number(value);
    else {
      data[cell] = Number.NaN;
      this.#wide.set(cell, value);
    }
  }

  /** Adds `value` to the cell, in numbers while both and the sum are safe integers. */
  add(data: Float64Array, cell: number, value: bigint): void {
    const current = data[cell] ?? 0;
    if (value <= maxSafe && value >= -maxSafe && !Number.isNaN(current)) {
      const sum = current + Number(value);
      if (Number.isSafeInteger(sum)) {
        data[cell] = sum;
        return;
      }
    }
    this.set(data, cell, this.get(data, cell) + value);
  }

  /**
   * One step of an exponential average in whole cents: `cell += (target − cell) × ppm / 10^6`,
   * with the quotient truncated toward zero as `bigint` division truncates, `target` being
   * another cell. In numbers while the product is a safe integer: the float quotient of two
   * integers below 2^53 is then within half an ulp of the exact one, which is at least 10^-6
   * from the next integer when it is not one, so truncating it gives the exact quotient. Past
   * that, in `bigint`s. The margin is narrow: quotients reach 2^53 / 10^6 ≈ 9e9, where half an ulp
   * is 9.5e-7 against the 10^-6 gap, so a finer scale than parts per million would break it.
   */
  stepTowards(data: Float64Array, cells: { readonly cell: number; readonly target: number }, ppm: number): void {
    const { cell, target } = cells;
    const current = data[cell] ?? 0;
    const product = ((data[target] ?? 0) - current) * ppm;
    if (Number.isSafeInteger(product)) {
      data[cell] = current + Math.trunc(product / 1e6);
      return;
    }
    const exact = this.get(data, cell);
    this.set(data, cell, exact + ((this.get(data, target) - exact) * BigInt(ppm)) / 1_000_000n);
  }

  /** Amounts held past 2^53 − 1 (for tests). */
  get wide(): number {
    return this.#wide.size;
  }
}
