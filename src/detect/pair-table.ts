/**
 * A hash map from a pair of non-negative 32-bit integers to a non-negative integer, in one typed
 * array: open addressing with linear probing, at most half full, deletion by shifting the
 * following entries back (so no tombstones build up under steady churn).
 *
 * The counterparty graph finds a hub's edge to a given counterparty here (a `Map` per hub, with
 * an object per entry, was a large part of what the collector copied), and the statistics' store
 * an entity's slot by (group, address id): one probe of one array, where a `Map` per group cost
 * a bucket and an entry, each a cache miss in a table of a quarter of a million.
 */
export class PairTable {
  /** Three words per bucket: the pair, then the value; -1 as the first word marks an empty bucket. */
  #words: Int32Array;
  #mask: number;
  #size = 0;

  constructor(initialBuckets = 1_024) {
    const buckets = 2 ** Math.max(4, Math.ceil(Math.log2(initialBuckets)));
    this.#words = new Int32Array(3 * buckets).fill(-1);
    this.#mask = buckets - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** The value of (`a`, `b`), or -1. */
  get(a: number, b: number): number {
    const words = this.#words;
    for (let i = this.#home(a, b); ; i = (i + 1) & this.#mask) {
      const first = words[3 * i] ?? -1;
      if (first === -1) return -1;
      if (first === a && words[3 * i + 1] === b) return words[3 * i + 2] ?? -1;
    }
  }

  /** Sets (`a`, `b`) to `value`, replacing what it had. */
  set(a: number, b: number, value: number): void {
    if (2 * (this.#size + 1) > this.#mask + 1) this.#resize(2 * (this.#mask + 1));
    const words = this.#words;
    for (let i = this.#home(a, b); ; i = (i + 1) & this.#mask) {
      const first = words[3 * i] ?? -1;
      if (first === -1) {
        words[3 * i] = a;
        words[3 * i + 1] = b;
        words[3 * i + 2] = value;
        this.#size += 1;
        return;
      }
      if (first === a && words[3 * i + 1] === b) {
        words[3 * i + 2] = value;
        return;
      }
    }
  }

  /** Removes (`a`, `b`); false when it was not there. */
  delete(a: number, b: number): boolean {
    const words = this.#words;
    const mask = this.#mask;
    let hole = this.#home(a, b);
    for (; ; hole = (hole + 1) & mask) {
      const first = words[3 * hole] ?? -1;
      if (first === -1) return false;
      if (first === a && words[3 * hole + 1] === b) break;
    }
    // Every entry after the hole, up to the next empty bucket, moves into it unless its home lies
    // cyclically in (hole, j]: then it is already as near its home as it can be.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const first = words[3 * j] ?? -1;
      if (first === -1) break;
      const home = this.#home(first, words[3 * j + 1] ?? 0);
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      words[3 * hole] = first;
      words[3 * hole + 1] = words[3 * j + 1] ?? 0;
      words[3 * hole + 2] = words[3 * j + 2] ?? 0;
      hole = j;
    }
    words[3 * hole] = -1;
    this.#size -= 1;
    return true;
  }

  #home(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    return h & this.#mask;
  }

  #resize(buckets: number): void {
    const old = this.#words;
    this.#words = new Int32Array(3 * buckets).fill(-1);
    this.#mask = buckets - 1;
    this.#size = 0;
    for (let i = 0; i < old.length; i += 3) {
      const first = old[i] ?? -1;
      if (first !== -1) this.set(first, old[i + 1] ?? 0, old[i + 2] ?? 0);
    }
  }
}
