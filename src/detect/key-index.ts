import { grown } from './grown.js';

/**
 * Small integer ids for keys, shared by the maps that hold state about the same keys.
 *
 * Every typology keeps per-address state, and with a million addresses going by each of those
 * maps was a hash table of a million entries: every transaction paid one cold hash probe per
 * address per map. Maps that share a `KeyIndex` pay one between them (the later probes find the
 * entry already in cache) and keep their state in arrays indexed by the id.
 *
 * A key keeps its id while any map holds it: each map `acquire`s the key when it stores an entry
 * and `release`s the id when the entry goes. At zero holders the key is forgotten and its id is
 * handed out again, so the index never holds more keys than its maps do together.
 */
export class KeyIndex<K> {
  readonly #ids = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  /** Holders per id: how many maps have an entry for its key. */
  #holders = new Int32Array(16);
  readonly #free: number[] = [];
  #allocated = 0;

  /** Keys held now. */
  get size(): number {
    return this.#ids.size;
  }

  /** One more than the largest id handed out so far: the length of an array that can hold every id. */
  get capacity(): number {
    return this.#allocated;
  }

  /** The id of `key`, or -1 if no map holds it. */
  find(key: K): number {
    return this.#ids.get(key) ?? -1;
  }

  /** The key an id stands for (undefined for an id no map holds). */
  key(id: number): K | undefined {
    return this.#keys[id];
  }

  /** Records one more holder of `key` and returns its id, giving it one if it has none. */
  acquire(key: K): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#free.pop() ?? this.#fresh();
      this.#ids.set(key, id);
      this.#keys[id] = key;
    }
    this.#holders[id] = (this.#holders[id] ?? 0) + 1;
    return id;
  }

  /** One more holder of an id already held, without looking its key up. */
  hold(id: number): void {
    const holders = this.#holders[id] ?? 0;
    if (!(holders > 0 && id < this.#allocated)) throw new RangeError(`id ${id} is not held`);
    this.#holders[id] = holders + 1;
  }

  /** One holder fewer; with none left the key is forgotten and its id freed. */
  release(id: number): void {
    const holders = (this.#holders[id] ?? 0) - 1;
    if (holders < 0) throw new RangeError(`id ${id} released more often than acquired`);
    this.#holders[id] = holders;
    if (holders > 0) return;
    this.#ids.delete(this.#keys[id] as K);
    this.#keys[id] = undefined;
    this.#free.push(id);
  }

  #fresh(): number {
    if (this.#allocated === this.#holders.length) this.#holders = grown(this.#holders, this.#holders.length * 2);
    const id = this.#allocated;
    this.#allocated += 1;
    return id;
  }
}

/** The option of the detectors and structures that keep per-address state. */
export interface SharedAddressKeys {
  /**
   * Ids for addresses, shared with the other detectors' per-address state so that a transaction
   * costs one hash probe per address between them (see `KeyIndex`). Default: ids of their own.
   */
  readonly addresses?: KeyIndex<string> | undefined;
}
