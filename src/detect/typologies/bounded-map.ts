/**
 * A map that forgets, for per-entity detector state. An entry expires `ttlMs` after it was last
 * written (time read from the transactions, never the wall clock) and, when the map is full,
 * the least recently written entry makes room. A stream with a million distinct addresses then
 * costs at most `maxEntries` entries per map, whatever the stream looks like.
 *
 * A `Map` from key to a node of a doubly linked list kept in write order: the least recently
 * written entry is always the head, so both rules only look there, O(1) per write. (Re-inserting
 * into the `Map` itself to keep its order is not O(1): V8 leaves deleted slots in place until it
 * rehashes, and finding the first live entry walks over them, which at a million entries turned
 * one write into a scan.)
 */
export interface BoundedMapOptions {
  /** Most entries held; the least recently written is dropped for a new key past this. */
  readonly maxEntries: number;
  /** An entry not written for longer than this (ms of transaction time) is gone. `Infinity`: never. */
  readonly ttlMs: number;
}

interface Node<K, V> {
  readonly key: K;
  value: V;
  at: number;
  prev: Node<K, V> | undefined;
  next: Node<K, V> | undefined;
}

/**
 * Expired entries swept per write. Enough to keep up with any stream (each write adds at most
 * one entry), small enough that one write after a long quiet spell does not stall the stream;
 * what is left is still caught by `get` and by the cap.
 */
const sweepPerWrite = 8;

export class BoundedMap<K, V> {
  readonly #nodes = new Map<K, Node<K, V>>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Least recently written. */
  #head: Node<K, V> | undefined;
  /** Most recently written. */
  #tail: Node<K, V> | undefined;
  /**
   * The last key looked up and what was found (undefined: absent), while `#remembered`. Detectors
   * read an entity's state and write it back at once, so `set` after `get` reuses the look-up
   * instead of hashing the key again; any write or removal keeps it true.
   */
  #lastKey: K | undefined;
  #lastNode: Node<K, V> | undefined;
  #remembered = false;

  constructor(options: BoundedMapOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, not ${options.maxEntries}`);
    if (!(options.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${options.ttlMs}`);
    this.#maxEntries = Math.floor(options.maxEntries);
    this.#ttlMs = options.ttlMs;
  }

  /** Entries held (expired ones not yet swept count until they are). */
  get size(): number {
    return this.#nodes.size;
  }

  /** The value, unless it has expired by `now`; reading does not make an entry younger. */
  get(key: K, now: number): V | undefined {
    const node = this.#find(key);
    if (node === undefined) return undefined;
    if (now - node.at > this.#ttlMs) {
      this.#remove(node);
      return undefined;
    }
    return node.value;
  }

  has(key: K, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Writes the value and makes it the youngest entry, then evicts by cap and by age. */
  set(key: K, value: V, now: number): void {
    let node = this.#find(key);
    if (node === undefined) {
      node = { key, value, at: now, prev: undefined, next: undefined };
      this.#nodes.set(key, node);
      this.#lastNode = node;
    } else {
      node.value = value;
      node.at = Math.max(node.at, now);
      this.#unlink(node);
    }
    this.#append(node);
    this.#evict(now);
  }

  delete(key: K): boolean {
    const node = this.#find(key);
    if (node === undefined) return false;
    this.#remove(node);
    return true;
  }

  /** Live values, oldest write first. */
  *values(now: number): IterableIterator<V> {
    for (let node = this.#head; node !== undefined; node = node.next) if (now - node.at <= this.#ttlMs) yield node.value;
  }

  #evict(now: number): void {
    while (this.#nodes.size > this.#maxEntries && this.#head !== undefined) this.#remove(this.#head);
    for (let i = 0; i < sweepPerWrite; i += 1) {
      const oldest = this.#head;
      if (oldest === undefined || now - oldest.at <= this.#ttlMs) return;
      this.#remove(oldest);
    }
  }

  #find(key: K): Node<K, V> | undefined {
    if (this.#remembered && key === this.#lastKey) return this.#lastNode;
    const node = this.#nodes.get(key);
    this.#lastKey = key;
    this.#lastNode = node;
    this.#remembered = true;
    return node;
  }

  #remove(node: Node<K, V>): void {
    this.#unlink(node);
    this.#nodes.delete(node.key);
    if (node.key === this.#lastKey) this.#remembered = false;
  }

  #append(node: Node<K, V>): void {
    node.prev = this.#tail;
    node.next = undefined;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
  }

  #unlink(node: Node<K, V>): void {
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }
}
