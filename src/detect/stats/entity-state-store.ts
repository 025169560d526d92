import { grown } from '../grown.js';
import { KeyIndex } from '../key-index.js';
import { PairTable } from '../pair-table.js';

export interface EntityStateStoreOptions {
  /** Numbers of state per entity (the sum of the widths of the estimators it holds). */
  readonly width: number;
  /** Hard cap on entities; past it the least recently used one is evicted. Default 250,000. */
  readonly maxEntries?: number;
  /** An entity not seen for this long, in event time, is evicted. Default 30 days. */
  readonly ttlMs?: number;
  /** Slots allocated up front; the slab doubles from here up to `maxEntries`. Default 1,024. */
  readonly initialCapacity?: number;
  /** Ids for the keys, shared with other stores and maps over the same keys (see `KeyIndex`). Default: its own. */
  readonly keys?: KeyIndex<string> | undefined;
}

/**
 * A group of entities. Its entities' slots are in the store's table by (group number, key id),
 * not in an array by id: the ids are the shared index's, up to a million or more, and a group
 * (one per chain and asset; a spam token makes one) must cost what it holds, not what the index
 * holds.
 */
interface Group {
  readonly name: string;
  /** Its number in the store's table, handed out again once the group is dropped. */
  readonly number: number;
  size: number;
}

export interface EvictionCounts {
  /** Evicted because they were not seen within the TTL. */
  readonly expired: number;
  /** Evicted, least recently used first, because the store was full. */
  readonly displaced: number;
}

const none = -1;

/**
 * Fixed-width numeric state per entity (address, address and asset, service), with TTL eviction
 * in event time and a hard cap with least-recently-used eviction, so a stream with any number
 * of distinct addresses runs in bounded memory.
 *
 * Every entity's numbers live in one slab (`data`, a Float64Array of capacity × width) and the
 * recency list is two Int32Arrays, so the store holds no object per entity: the cost is the
 * numbers, ~24 bytes of bookkeeping, the key's entry in a `KeyIndex` (shared with the other
 * detectors' maps when one is given) and a bucket (12 bytes, at most half the table full) in the
 * store's table from (group, key id) to slot. A fresh entity's numbers are all zero; estimators
 * treat a zero count as empty.
 *
 * An entity is a key within a group (`group` defaults to ''): an address within a chain and
 * asset, say. A transaction's addresses already have ids, so finding an entity builds no
 * composite key string and hashes no string again: it looks (group, id) up in the table. A group
 * emptied by eviction is dropped, so groups cost what they hold, however many come and go.
 *
 * Time is the data's: `now` is the transaction's timestamp, so a replay evicts exactly what the
 * live service evicted. Expiry walks from the least recently used end and stops at the first
 * live entity, which is exact while events arrive in time order; with late events an expired
 * entity can sit behind a fresher one until the cap or its turn comes.
 */
export class EntityStateStore {
  readonly width: number;
  readonly maxEntries: number;
  readonly ttlMs: number;

  readonly #index: KeyIndex<string>;
  readonly #groups = new Map<string, Group>();
  /** Slot by (group number, key id). */
  readonly #slots = new PairTable();
  readonly #freeGroupNumbers: number[] = [];
  /** The group looked up last: a stream's transactions are mostly in one or two. */
  #lastGroup: Group | undefined;
  /** Per slot: its key's id (-1: free) and its group. */
  #ids: Int32Array;
  readonly #slotGroups: (Group | undefined)[] = [];
  #size = 0;
  #data: Float64Array;
  #seen: Float64Array;
  #prev: Int32Array;
  #next: Int32Array;
  #capacity: number;
  /** Slots handed out so far; slots below it that are free are on `#free`. */
  #allocated = 0;
  readonly #free: number[] = [];
  /** Most recently used. */
  #head = none;
  /** Least recently used: the next to expire or be displaced. */
  #tail = none;
  #expired = 0;
  #displaced = 0;

  constructor(options: EntityStateStoreOptions) {
    if (!(Number.isInteger(options.width) && options.width > 0)) throw new RangeError(`width must be a positive integer, got ${options.width}`);
    this.width = options.width;
    this.maxEntries = options.maxEntries ?? 250_000;
    this.ttlMs = options.ttlMs ?? 30 * 24 * 3_600_000;
    if (!(Number.isInteger(this.maxEntries) && this.maxEntries > 0)) throw new RangeError(`maxEntries must be a positive integer, got ${this.maxEntries}`);
    if (!(this.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${this.ttlMs}`);
    this.#capacity = Math.min(this.maxEntries, Math.max(1, options.initialCapacity ?? 1_024));
    this.#index = options.keys ?? new KeyIndex<string>();
    this.#data = new Float64Array(this.#capacity * this.width);
    this.#ids = new Int32Array(this.#capacity).fill(none);
    this.#seen = new Float64Array(this.#capacity);
    this.#prev = new Int32Array(this.#capacity);
    this.#next = new Int32Array(this.#capacity);
  }

  /** The slab. Re-read it after `acquire`: growing the store replaces it. */
  get data(): Float64Array {
    return this.#data;
  }

  get size(): number {
    return this.#size;
  }

  get evictions(): EvictionCounts {
    return { expired: this.#expired, displaced: this.#displaced };
  }

  /**
   * The offset of `key`'s numbers in `data`, creating the entity (all zeros) if it is new, and
   * marking it used at `now`. Expired entities are evicted first, then the least recently used
   * one if the store is full, so the entity returned is never the one evicted.
   */
  acquire(key: string, now: number, group = ''): number {
    this.expire(now);
    const found = this.#slotOf(this.#existingGroup(group), key);
    if (found !== none) {
      this.#unlink(found);
      this.#pushHead(found);
      if (now > (this.#seen[found] ?? 0)) this.#seen[found] = now;
      return found * this.width;
    }
    if (this.#size >= this.maxEntries && this.#tail !== none) {
      this.#evict(this.#tail);
      this.#displaced += 1;
    }
    // After the eviction, which may have emptied and dropped this very group.
    const g = this.#group(group);
    const slot = this.#take();
    this.#data.fill(0, slot * this.width, (slot + 1) * this.width);
    this.#seen[slot] = now;
    const id = this.#index.acquire(key);
    this.#slots.set(g.number, id, slot);
    g.size += 1;
    this.#ids[slot] = id;
    this.#slotGroups[slot] = g;
    this.#size += 1;
    this.#pushHead(slot);
    return slot * this.width;
  }

  /** The offset of `key`'s numbers without marking it used; undefined when absent. */
  peek(key: string, group = ''): number | undefined {
    const slot = this.#slotOf(this.#existingGroup(group), key);
    return slot === none ? undefined : slot * this.width;
  }

  has(key: string, group = ''): boolean {
    return this.#slotOf(this.#existingGroup(group), key) !== none;
  }

  delete(key: string, group = ''): boolean {
    const slot = this.#slotOf(this.#existingGroup(group), key);
    if (slot === none) return false;
    this.#evict(slot);
    return true;
  }

  /** Evicts every entity last seen more than `ttlMs` before `now`; returns how many. */
  expire(now: number): number {
    let evicted = 0;
    const cutoff = now - this.ttlMs;
    while (this.#tail !== none && (this.#seen[this.#tail] ?? 0) < cutoff) {
      this.#evict(this.#tail);
      evicted += 1;
    }
    this.#expired += evicted;
    return evicted;
  }

  /** Keys from most to least recently used (without their groups). */
  *keys(): IterableIterator<string> {
    for (let slot = this.#head; slot !== none; slot = this.#next[slot] ?? none) {
      const key = this.#index.key(this.#ids[slot] ?? none);
      if (key !== undefined) yield key;
    }
  }

  /** Groups holding entities now (an emptied group is dropped). */
  get groups(): number {
    return this.#groups.size;
  }

  #existingGroup(name: string): Group | undefined {
    const last = this.#lastGroup;
    if (last !== undefined && last.name === name) return last;
    const g = this.#groups.get(name);
    if (g !== undefined) this.#lastGroup = g;
    return g;
  }

  #group(name: string): Group {
    let g = this.#existingGroup(name);
    if (g === undefined) {
      g = { name, number: this.#freeGroupNumbers.pop() ?? this.#groups.size, size: 0 };
      this.#groups.set(name, g);
      this.#lastGroup = g;
    }
    return g;
  }

  #slotOf(g: Group | undefined, key: string): number {
    if (g === undefined) return none;
    const id = this.#index.find(key);
    return id === none ? none : this.#slots.get(g.number, id);
  }

  #take(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#allocated === this.#capacity) this.#grow();
    const slot = this.#allocated;
    this.#allocated += 1;
    return slot;
  }

  #grow(): void {
    const capacity = Math.min(this.maxEntries, this.#capacity * 2);
    this.#data = grown(this.#data, capacity * this.width);
    this.#ids = grown(this.#ids, capacity).fill(none, this.#capacity);
    this.#seen = grown(this.#seen, capacity);
    this.#prev = grown(this.#prev, capacity);
    this.#next = grown(this.#next, capacity);
    this.#capacity = capacity;
  }

  #evict(slot: number): void {
    const id = this.#ids[slot] ?? none;
    const g = this.#slotGroups[slot];
    if (id !== none && g !== undefined) {
      this.#slots.delete(g.number, id);
      g.size -= 1;
      if (g.size === 0) {
        this.#groups.delete(g.name);
        this.#freeGroupNumbers.push(g.number);
        if (this.#lastGroup === g) this.#lastGroup = undefined;
      }
      this.#index.release(id);
      this.#size -= 1;
    }
    this.#ids[slot] = none;
    this.#slotGroups[slot] = undefined;
    this.#unlink(slot);
    this.#free.push(slot);
  }

  #pushHead(slot: number): void {
    this.#prev[slot] = none;
    this.#next[slot] = this.#head;
    if (this.#head !== none) this.#prev[this.#head] = slot;
    this.#head = slot;
    if (this.#tail === none) this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot] ?? none;
    const next = this.#next[slot] ?? none;
    if (prev !== none) this.#next[prev] = next;
    else if (this.#head === slot) this.#head = next;
    if (next !== none) this.#prev[next] = prev;
    else if (this.#tail === slot) this.#tail = prev;
    this.#prev[slot] = none;
    this.#next[slot] = none;
  }
}
