import type { StateSlot } from './state-slot.js';

/**
 * The last few distinct counterparties of an entity, as 32-bit hashes in a ring, for the
 * "counterparty novelty" feature: is this receiver one the sender paid recently?
 *
 * A set of every counterparty ever seen would grow without bound for a busy sender; a ring of
 * `size` hashes costs `size + 1` numbers and answers "seen among the last `size` distinct ones".
 * Two addresses with the same 32-bit hash are taken for one (probability ~size/2^32 per lookup),
 * which only ever makes a new counterparty look familiar, never the reverse.
 */
export class RecentCounterparties {
  readonly size: number;

  constructor(size = 8) {
    if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`size must be a positive integer, got ${size}`);
    this.size = size;
  }

  /** Numbers of state: a cursor and the ring. */
  get width(): number {
    return this.size + 1;
  }

  /** Whether `address` is among the recent counterparties; then remembers it. */
  seenThenAdd(slot: StateSlot, address: string): boolean {
    // Stored as hash + 1 so that 0 (a fresh slot) means empty.
    const h = fnv1a32(address) + 1;
    const d = slot.data;
    const o = slot.offset;
    for (let i = 0; i < this.size; i += 1) if (d[o + 1 + i] === h) return true;
    const cursor = d[o] ?? 0;
    d[o + 1 + cursor] = h;
    d[o] = (cursor + 1) % this.size;
    return false;
  }
}

/** FNV-1a over UTF-16 code units: fast, and good enough to tell addresses apart in a ring. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
