import { grown, padded } from '../grown.js';
import { KeyIndex } from '../key-index.js';

/**
 * A map that forgets, for per-entity detector state. An entry expires `ttlMs` after it was last
 * written (time read from the transactions, never the wall clock) and, when the map is full,
 * the least recently written entry makes room. A stream with a million distinct addresses then
 * costs at most `maxEntries` entries per map, whatever the stream looks like.
 *
 * A `KeyIndex` gives each key a small integer id; the entries live in arrays indexed by it, and
 * a doubly linked list of ids kept in write order makes the least recently written entry the
 * head, so both rules only look there, O(1) per write. (Re-inserting into a `Map` to keep its
 * order is not O(1): V8 leaves deleted slots in place until it rehashes, and finding the first
 * live entry walks over them, which at a million entries turned one write into a scan.) Times
 * and links are typed arrays, so an entry costs no object of its own and moving it in the list
 * writes numbers, not pointers: the garbage collector has that much less to trace and copy.
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
  #size = 0;
  /** Per id: the value, 1 while this map holds the key, the time of the last write, and the recency list's links. */
  #values: (V | undefined)[] = [];
  #held: Uint8Array;
  #at: Float64Array;
  #prev: Int32Array;
  #next: Int32Array;
  /** Least recently written. */
  #head = none;
  /** Most recently written. */
  #tail = none;
  /**
   * The last key looked up and its id (`none`: no map holds it). Detectors read an entity's state
   * and write it back at once, so `set` after `get` reuses the look-up instead of hashing the key
   * again. It stays sound as ids are freed and handed out again: it is trusted only together with
   * `#held`, and this map comes to hold an id only in `set`, which remembers that id's own key.
   */
  #lastKey: K | undefined;
  #lastId = none;

  constructor(options: BoundedMapOptions<K>) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, not ${options.maxEntries}`);
    if (!(options.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${options.ttlMs}`);
    this.#maxEntries = Math.floor(options.maxEntries);
    this.#ttlMs = options.ttlMs;
    this.#index = options.keys ?? new KeyIndex<K>();
    this.#held = new Uint8Array(initialSlots);
    this.#at = new Float64Array(initialSlots);
    this.#prev = new Int32Array(initialSlots);
    this.#next = new Int32Array(initialSlots);
  }

  /** Entries held (expired ones not yet swept count until they are). */
  get size(): number {
    return this.#size;
  }

  /** The value, unless it has expired by `now`; reading does not make an entry younger. */
  get(key: K, now: number): V | undefined {
    const id = this.#heldId(key);
    if (id === none) return undefined;
    if (now - (this.#at[id] ?? 0) > this.#ttlMs) {
      this.#remove(id);
      return undefined;
    }
    return this.#values[id];
  }

  has(key: K, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Writes the value and makes it the youngest entry, then evicts by cap and by age. */
  set(key: K, value: V, now: number): void {
    let id = this.#heldId(key);
    if (id === none) {
      id = this.#index.acquire(key);
      if (id >= this.#at.length) this.#grow(id);
      this.#held[id] = 1;
      this.#at[id] = now;
      this.#size += 1;
      this.#remember(key, id);
    } else {
      this.#at[id] = Math.max(this.#at[id] ?? now, now);
      this.#unlink(id);
    }
    this.#values[id] = value;
    this.#append(id);
    this.#evict(now);
  }

  delete(key: K): boolean {
    const id = this.#heldId(key);
    if (id === none) return false;
    this.#remove(id);
    return true;
  }

  /** Live values, oldest write first. */
  *values(now: number): IterableIterator<V> {
    for (let id = this.#head; id !== none; id = this.#next[id] ?? none) {
      if (now - (this.#at[id] ?? 0) <= this.#ttlMs) yield this.#values[id] as V;
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

  /** The id of `key` if this map holds it, else `none`. */
  #heldId(key: K): number {
    let id: number;
    if (key === this.#lastKey) id = this.#lastId;
    else {
      id = this.#index.find(key);
      this.#remember(key, id);
    }
    return id !== none && this.#held[id] === 1 ? id : none;
  }

  #remember(key: K, id: number): void {
    this.#lastKey = key;
    this.#lastId = id;
  }

  #grow(id: number): void {
    let length = this.#at.length * 2;
    while (length <= id) length *= 2;
    this.#held = grown(this.#held, length);
    this.#at = grown(this.#at, length);
    this.#prev = grown(this.#prev, length);
    this.#next = grown(this.#next, length);
    padded(this.#values, length);
  }

  #remove(id: number): void {
    this.#unlink(id);
    this.#held[id] = 0;
    this.#values[id] = undefined;
    this.#size -= 1;
    this.#index.release(id);
  }

  #append(id: number): void {
    this.#prev[id] = this.#tail;
    this.#next[id] = none;
    if (this.#tail === none) this.#head = id;
    else this.#next[this.#tail] = id;
    this.#tail = id;
  }

  #unlink(id: number): void {
    const prev = this.#prev[id] ?? none;
    const next = this.#next[id] ?? none;
    if (prev === none) this.#head = next;
    else this.#next[prev] = next;
    if (next === none) this.#tail = prev;
    else this.#prev[next] = prev;
    this.#prev[id] = none;
    this.#next[id] = none;
  }
}
