import { grown } from '../grown.js';

/**
 * A map that forgets, for per-entity detector state. An entry expires `ttlMs` after it was last
 * written (time read from the transactions, never the wall clock) and, when the map is full,
 * the least recently written entry makes room. A stream with a million distinct addresses then
 * costs at most `maxEntries` entries per map, whatever the stream looks like.
 *
 * A `Map` from key to a slot, and a doubly linked list of slots kept in write order: the least
 * recently written entry is always the head, so both rules only look there, O(1) per write.
 * (Re-inserting into the `Map` itself to keep its order is not O(1): V8 leaves deleted slots in
 * place until it rehashes, and finding the first live entry walks over them, which at a million
 * entries turned one write into a scan.) The slots are arrays, times and links typed arrays, so
 * an entry costs no object of its own and moving it in the list writes numbers, not pointers:
 * with a million addresses going by, the garbage collector has that much less to trace and copy.
 */
export interface BoundedMapOptions {
  /** Most entries held; the least recently written is dropped for a new key past this. */
  readonly maxEntries: number;
  /** An entry not written for longer than this (ms of transaction time) is gone. `Infinity`: never. */
  readonly ttlMs: number;
}

/**
 * Expired entries swept per write. Enough to keep up with any stream (each write adds at most
 * one entry), small enough that one write after a long quiet spell does not stall the stream;
 * what is left is still caught by `get` and by the cap.
 */
const sweepPerWrite = 8;

/** No slot: the end of the recency list, or a key that is absent. */
const none = -1;

/** Slots made at first; they double as the map fills, up to its cap. */
const initialSlots = 16;

export class BoundedMap<K, V> {
  /** Key → slot. The entries live in the slot arrays below, not in an object each. */
  readonly #slots = new Map<K, number>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  #keys: (K | undefined)[] = [];
  #values: (V | undefined)[] = [];
  /** Per slot: time of the last write, and the recency list's links (slots, `none` at the ends). */
  #at: Float64Array;
  #prev: Int32Array;
  #next: Int32Array;
  /** Slots handed out so far; freed ones below it wait on `#free`. */
  #allocated = 0;
  readonly #free: number[] = [];
  /** Least recently written. */
  #head = none;
  /** Most recently written. */
  #tail = none;
  /**
   * The last key looked up and its slot (`none`: absent), while `#remembered`. Detectors read an
   * entity's state and write it back at once, so `set` after `get` reuses the look-up instead of
   * hashing the key again; removing that key forgets it.
   */
  #lastKey: K | undefined;
  #lastSlot = none;
  #remembered = false;

  constructor(options: BoundedMapOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, not ${options.maxEntries}`);
    if (!(options.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${options.ttlMs}`);
    this.#maxEntries = Math.floor(options.maxEntries);
    this.#ttlMs = options.ttlMs;
    // A write holds one entry past the cap until it evicts, hence the + 1.
    const slots = Math.min(initialSlots, this.#maxEntries + 1);
    this.#at = new Float64Array(slots);
    this.#prev = new Int32Array(slots);
    this.#next = new Int32Array(slots);
  }

  /** Entries held (expired ones not yet swept count until they are). */
  get size(): number {
    return this.#slots.size;
  }

  /** The value, unless it has expired by `now`; reading does not make an entry younger. */
  get(key: K, now: number): V | undefined {
    const slot = this.#find(key);
    if (slot === none) return undefined;
    if (now - (this.#at[slot] ?? 0) > this.#ttlMs) {
      this.#remove(slot);
      return undefined;
    }
    return this.#values[slot];
  }

  has(key: K, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Writes the value and makes it the youngest entry, then evicts by cap and by age. */
  set(key: K, value: V, now: number): void {
    let slot = this.#find(key);
    if (slot === none) {
      slot = this.#take();
      this.#keys[slot] = key;
      this.#at[slot] = now;
      this.#slots.set(key, slot);
      this.#lastSlot = slot;
    } else {
      this.#at[slot] = Math.max(this.#at[slot] ?? now, now);
      this.#unlink(slot);
    }
    this.#values[slot] = value;
    this.#append(slot);
    this.#evict(now);
  }

  delete(key: K): boolean {
    const slot = this.#find(key);
    if (slot === none) return false;
    this.#remove(slot);
    return true;
  }

  /** Live values, oldest write first. */
  *values(now: number): IterableIterator<V> {
    for (let slot = this.#head; slot !== none; slot = this.#next[slot] ?? none) {
      if (now - (this.#at[slot] ?? 0) <= this.#ttlMs) yield this.#values[slot] as V;
    }
  }

  #evict(now: number): void {
    while (this.#slots.size > this.#maxEntries && this.#head !== none) this.#remove(this.#head);
    for (let i = 0; i < sweepPerWrite; i += 1) {
      const oldest = this.#head;
      if (oldest === none || now - (this.#at[oldest] ?? 0) <= this.#ttlMs) return;
      this.#remove(oldest);
    }
  }

  #find(key: K): number {
    if (this.#remembered && key === this.#lastKey) return this.#lastSlot;
    const slot = this.#slots.get(key) ?? none;
    this.#lastKey = key;
    this.#lastSlot = slot;
    this.#remembered = true;
    return slot;
  }

  #take(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#allocated === this.#at.length) this.#grow();
    const slot = this.#allocated;
    this.#allocated += 1;
    return slot;
  }

  #grow(): void {
    const slots = Math.min(this.#at.length * 2, this.#maxEntries + 1);
    this.#at = grown(this.#at, slots);
    this.#prev = grown(this.#prev, slots);
    this.#next = grown(this.#next, slots);
  }

  #remove(slot: number): void {
    const key = this.#keys[slot] as K;
    this.#unlink(slot);
    this.#slots.delete(key);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    this.#free.push(slot);
    if (key === this.#lastKey) this.#remembered = false;
  }

  #append(slot: number): void {
    this.#prev[slot] = this.#tail;
    this.#next[slot] = none;
    if (this.#tail === none) this.#head = slot;
    else this.#next[this.#tail] = slot;
    this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot] ?? none;
    const next = this.#next[slot] ?? none;
    if (prev === none) this.#head = next;
    else this.#next[prev] = next;
    if (next === none) this.#tail = prev;
    else this.#prev[next] = prev;
    this.#prev[slot] = none;
    this.#next[slot] = none;
  }
}
