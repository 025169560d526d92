import { grown } from '../grown.js';
import { KeyIndex } from '../key-index.js';

/**
 * A map that forgets, for per-entity detector state. An entry expires `ttlMs` after it was last
 * written (time read from the transactions, never the wall clock) and, when the map is full,
 * the least recently written entry makes room. A stream with a million distinct addresses then
 * costs at most `maxEntries` entries per map, whatever the stream looks like.
 *
 * A `KeyIndex` gives each key a small integer id and a typed array takes the id to the entry's
 * slot; the entries live in slot arrays no longer than the cap, and a doubly linked list of slots
 * kept in write order makes the least recently written entry the head, so both rules only look
 * there, O(1) per write. (Re-inserting into a `Map` to keep its order is not O(1): V8 leaves
 * deleted slots in place until it rehashes, and finding the first live entry walks over them,
 * which at a million entries turned one write into a scan.) Times and links are typed arrays, so
 * an entry costs no object of its own and moving it in the list writes numbers, not pointers:
 * the garbage collector has that much less to trace and copy.
 */
export interface BoundedMapOptions<K = unknown> {
  /** Most entries held; the least recently written is dropped for a new key past this. */
  readonly maxEntries: number;
  /** An entry not written for longer than this (ms of transaction time) is gone. `Infinity`: never. */
  readonly ttlMs: number;
  /**
   * The ids of the keys, shared with other maps over the same keys (see `KeyIndex`): the maps
   * then pay one hash probe per key between them, not one each. Default: an index of its own.
   */
  readonly keys?: KeyIndex<K> | undefined;
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
  readonly #index: KeyIndex<K>;
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /**
   * Slot + 1 of each key id this map holds (0: none). Four bytes per id of the index, the only
   * array sized by the index rather than by this map's cap: the entries live in slots.
   */
  #slotOf = new Int32Array(initialSlots);
  /** Per slot: the key's id, the value, the time of the last write, and the recency list's links (slots). */
  #ids: Int32Array;
  readonly #values: (V | undefined)[] = [];
  #at: Float64Array;
  #prev: Int32Array;
  #next: Int32Array;
  /** Slots handed out so far; freed ones below it wait on `#free`. */
  #allocated = 0;
  readonly #free: number[] = [];
  #size = 0;
  /** Least recently written. */
  #head = none;
  /** Most recently written. */
  #tail = none;
  /**
   * The last key looked up and its id (`none`: no map holds it). Detectors read an entity's state
   * and write it back at once, so `set` after `get` reuses the look-up instead of hashing the key
   * again. It stays sound as ids are freed and handed out again: it is trusted only together with
   * `#slotOf`, and this map comes to hold an id only in `set`, which remembers that id's own key.
   */
  #lastKey: K | undefined;
  #lastId = none;

  constructor(options: BoundedMapOptions<K>) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, not ${options.maxEntries}`);
    if (!(options.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${options.ttlMs}`);
    this.#maxEntries = Math.floor(options.maxEntries);
    this.#ttlMs = options.ttlMs;
    this.#index = options.keys ?? new KeyIndex<K>();
    // A write holds one entry past the cap until it evicts, hence the + 1.
    const slots = Math.min(initialSlots, this.#maxEntries + 1);
    this.#ids = new Int32Array(slots);
    this.#at = new Float64Array(slots);
    this.#prev = new Int32Array(slots);
    this.#next = new Int32Array(slots);
  }

  /** Entries held (expired ones not yet swept count until they are). */
  get size(): number {
    return this.#size;
  }

  /** The value, unless it has expired by `now`; reading does not make an entry younger. */
  get(key: K, now: number): V | undefined {
    const slot = this.slotOf(key, now);
    return slot === none ? undefined : this.#values[slot];
  }

  has(key: K, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /**
   * The slot of `key`'s entry unless it is absent or has expired by `now` (then -1), for callers
   * that keep numbers per entry in arrays of their own, indexed by slot: a slot is the entry's
   * until the entry goes, and `set` answers it. Slots are below `maxEntries + 1`.
   */
  slotOf(key: K, now: number): number {
    const slot = this.#slot(key);
    if (slot === none) return none;
    if (now - (this.#at[slot] ?? 0) > this.#ttlMs) {
      this.#remove(slot);
      return none;
    }
    return slot;
  }

  /** The value in a slot `slotOf` or `set` answered. */
  valueAt(slot: number): V | undefined {
    return this.#values[slot];
  }

  /** Writes the value and makes it the youngest entry, then evicts by cap and by age; returns the entry's slot. */
  set(key: K, value: V, now: number): number {
    let slot = this.#slot(key);
    if (slot === none) {
      const id = this.#index.acquire(key);
      slot = this.#take();
      if (id >= this.#slotOf.length) this.#slotOf = grown(this.#slotOf, Math.max(id + 1, 2 * this.#slotOf.length));
      this.#slotOf[id] = slot + 1;
      this.#ids[slot] = id;
      this.#at[slot] = now;
      this.#size += 1;
      this.#lastKey = key;
      this.#lastId = id;
    } else {
      this.#at[slot] = Math.max(this.#at[slot] ?? now, now);
      this.#unlink(slot);
    }
    this.#values[slot] = value;
    this.#append(slot);
    this.#evict(now);
    return slot;
  }

  delete(key: K): boolean {
    const slot = this.#slot(key);
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
    while (this.#size > this.#maxEntries && this.#head !== none) this.#remove(this.#head);
    for (let i = 0; i < sweepPerWrite; i += 1) {
      const oldest = this.#head;
      if (oldest === none || now - (this.#at[oldest] ?? 0) <= this.#ttlMs) return;
      this.#remove(oldest);
    }
  }

  /** The slot of `key` if this map holds it, else `none`. */
  #slot(key: K): number {
    let id: number;
    if (key === this.#lastKey) id = this.#lastId;
    else {
      id = this.#index.find(key);
      this.#lastKey = key;
      this.#lastId = id;
    }
    return id === none ? none : (this.#slotOf[id] ?? 0) - 1;
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
    this.#ids = grown(this.#ids, slots);
    this.#at = grown(this.#at, slots);
    this.#prev = grown(this.#prev, slots);
    this.#next = grown(this.#next, slots);
  }

  #remove(slot: number): void {
    const id = this.#ids[slot] ?? none;
    this.#unlink(slot);
    this.#slotOf[id] = 0;
    this.#values[slot] = undefined;
    this.#free.push(slot);
    this.#size -= 1;
    this.#index.release(id);
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
