import { grown, padded } from '../grown.js';
import { KeyIndex } from '../key-index.js';

/** No id: an address in no cluster. */
const none = -1;

/** What a union did: `absorbed` (a former root) now belongs to `root`. */
export interface Merge {
  readonly root: string;
  readonly absorbed: string;
}

/**
 * Addresses grouped by owner: a union-find (disjoint-set forest) with path compression and union
 * by size, plus a member list per cluster so that a cluster can be walked (the proximity search
 * spreads through every address of an owner at no hop).
 *
 * Only addresses in a cluster of two or more are stored: an address never linked to another is
 * its own cluster implicitly, which is most addresses. Member lists are merged smaller into
 * larger, so each address is copied O(log n) times over the life of the forest.
 *
 * Bounded by compaction: `compact(keep)` drops the addresses `keep` rejects (the graph evicted
 * them), re-roots clusters whose root went, and flattens every path. The caller decides when; the
 * wallet graph compacts when the forest outgrows the graph by a quarter, so the cost is amortised
 * O(1) per union.
 *
 * Addresses are held by their id in a `KeyIndex` (shared with the other detectors' state when one
 * is given): parents are an Int32Array of ids, member lists arrays of ids by the root's id. Asking
 * about an address in no cluster, the usual question, is then a read of the array at an id the
 * transaction's other look-ups have already found, not a miss in a map of every clustered address.
 * Compaction walks a cluster's ids without looking any member up: with member lists of addresses,
 * it probed the index once per member of every cluster that lost one, and one cluster of tens of
 * thousands (funding links chain fresh addresses together) made that most of the index's work.
 */
export class AddressClusters {
  readonly #keys: KeyIndex<string>;
  /** Parent id of each clustered address's id, a root its own; `none` for an id in no cluster. */
  #parent = new Int32Array(16).fill(none);
  /** Member ids of each cluster, by its root's id (the root first). */
  readonly #members: (number[] | undefined)[] = [];
  #tracked = 0;
  #clusters = 0;

  constructor(keys: KeyIndex<string> = new KeyIndex<string>()) {
    this.#keys = keys;
  }

  /** Addresses held (those in clusters of two or more). */
  get tracked(): number {
    return this.#tracked;
  }

  /** Clusters of two or more. */
  get clusters(): number {
    return this.#clusters;
  }

  /** The root of `address`'s cluster: the address itself when it is in none. */
  find(address: string): string {
    const id = this.#clustered(address);
    return id === none ? address : (this.#keys.key(this.#root(id)) as string);
  }

  same(a: string, b: string): boolean {
    return this.find(a) === this.find(b);
  }

  /** Members of `address`'s cluster, the root first (a copy, made by the call). */
  members(address: string): readonly string[] {
    const id = this.#clustered(address);
    const ids = id === none ? undefined : this.#members[this.#root(id)];
    return ids === undefined ? [address] : ids.map((m) => this.#keys.key(m) as string);
  }

  size(address: string): number {
    const id = this.#clustered(address);
    return id === none ? 1 : (this.#members[this.#root(id)]?.length ?? 1);
  }

  /** Puts `a` and `b` in one cluster; undefined when they already were. The larger cluster's root stays root (`a`'s on a tie). */
  union(a: string, b: string): Merge | undefined {
    if (a === b) return undefined;
    const ia = this.#clustered(a);
    const ib = this.#clustered(b);
    const ra = ia === none ? none : this.#root(ia);
    const rb = ib === none ? none : this.#root(ib);
    if (ra !== none && ra === rb) return undefined;
    const ma = ra === none ? 1 : (this.#members[ra]?.length ?? 1);
    const mb = rb === none ? 1 : (this.#members[rb]?.length ?? 1);
    const [rootAddress, rootId, absorbedAddress, absorbedId] = mb > ma ? [b, rb, a, ra] : [a, ra, b, rb];
    const root = rootId === none ? this.#hold(rootAddress, none) : rootId;
    let into = this.#members[root];
    if (into === undefined) {
      into = [root];
      this.#members[root] = into;
      this.#clusters += 1;
    }
    const rootName = this.#keys.key(root) as string;
    if (absorbedId === none) {
      into.push(this.#hold(absorbedAddress, root));
      return { root: rootName, absorbed: absorbedAddress };
    }
    const from = this.#members[absorbedId] ?? [];
    for (const m of from) into.push(m);
    this.#members[absorbedId] = undefined;
    this.#clusters -= 1;
    this.#parent[absorbedId] = root;
    return { root: rootName, absorbed: this.#keys.key(absorbedId) as string };
  }

  /** Whether `address` is in a cluster of two or more. */
  isClustered(address: string): boolean {
    return this.#clustered(address) !== none;
  }

  /** `isClustered` for an address known by its id in the shared `KeyIndex` (an id held while the call lasts). */
  isClusteredId(id: number): boolean {
    return id >= 0 && id < this.#parent.length && this.#parent[id] !== none;
  }

  /**
   * Forgets the addresses `keep` rejects. Returns what happened to each root that changed: its
   * new root (a surviving member; the lone survivor of a cluster of one is its own root again),
   * or undefined when no member survived. Paths are flattened on the way.
   */
  compact(keep: (address: string) => boolean): Map<string, string | undefined> {
    const roots: number[] = [];
    for (let id = 0; id < this.#members.length; id += 1) if (this.#members[id] !== undefined) roots.push(id);
    const moved = this.#compactClusters(roots, (id) => !keep(this.#keys.key(id) as string));
    // Flatten the clusters that did not change, so no path outlives a compaction.
    for (let root = 0; root < this.#members.length; root += 1) {
      for (const id of this.#members[root] ?? []) this.#parent[id] = root;
    }
    return moved;
  }

  /**
   * `compact` for a caller that knows which addresses may have gone: only the clusters of
   * `suspects` are looked at, and only the suspects are asked about, so the cost follows what
   * went, not the size of the forest. The result is `compact`'s when every address `keep`
   * rejects is among `suspects`; a forgotten address that is not a suspect stays until it is one.
   * Paths are left as they are (`find` compresses them as it goes; no answer depends on it).
   */
  compactSuspects(suspects: Iterable<string>, keep: (address: string) => boolean): Map<string, string | undefined> {
    const roots = new Set<number>();
    const gone = new Set<number>();
    for (const a of suspects) {
      const id = this.#clustered(a);
      if (id === none || keep(a)) continue;
      gone.add(id);
      roots.add(this.#root(id));
    }
    return this.#compactClusters([...roots], (id) => gone.has(id));
  }

  /**
   * Drops the members `gone` names (by id) from the clusters of `roots` (ids). A cluster whose
   * root stays keeps its root and its member list's order, and only the parents that change are
   * written: a big cluster that lost one member costs a read per member, not a write each.
   */
  #compactClusters(roots: readonly number[], gone: (id: number) => boolean): Map<string, string | undefined> {
    const moved = new Map<string, string | undefined>();
    for (const root of roots) {
      const members = this.#members[root] ?? [];
      const survivors = members.filter((id) => !gone(id));
      if (survivors.length === members.length) continue;
      // Names before any id is let go of: a forgotten id may name nothing afterwards.
      const rootAddress = this.#keys.key(root) as string;
      const first = survivors[0];
      const successor = first === undefined ? undefined : this.#keys.key(first);
      this.#members[root] = undefined;
      if (survivors.length < 2) {
        this.#clusters -= 1;
        for (const id of members) this.#forget(id);
        moved.set(rootAddress, successor);
        continue;
      }
      // The root is its list's first member, so the survivors' list starts with the new root either way.
      const next = gone(root) ? (first as number) : root;
      if (next !== root) moved.set(rootAddress, successor);
      this.#members[next] = survivors;
      // A survivor's parent may be a member that went, or the old root: point each at the root.
      for (const id of members) {
        if (gone(id)) this.#forget(id);
        else if (this.#parent[id] !== next) this.#parent[id] = next;
      }
    }
    return moved;
  }

  /** The id of `address` when it is in a cluster, else `none`. */
  #clustered(address: string): number {
    const id = this.#keys.find(address);
    return id === none || id >= this.#parent.length ? none : this.#parent[id] === none ? none : id;
  }

  /** The root of a clustered id, pointing everything on the way at it (path compression). */
  #root(id: number): number {
    const parent = this.#parent;
    let root = id;
    for (let up = parent[root] ?? root; up !== root; up = parent[root] ?? root) root = up;
    for (let at = id; at !== root; ) {
      const next = parent[at] ?? root;
      parent[at] = root;
      at = next;
    }
    return root;
  }

  /** Takes `address` into the forest under `parent` (`none`: as a root) and returns its id. */
  #hold(address: string, parent: number): number {
    const id = this.#keys.acquire(address);
    if (id >= this.#parent.length) {
      const length = Math.max(id + 1, 2 * this.#parent.length);
      this.#parent = grown(this.#parent, length).fill(none, this.#parent.length);
      padded(this.#members, length);
    }
    this.#parent[id] = parent === none ? id : parent;
    this.#tracked += 1;
    return id;
  }

  #forget(id: number): void {
    this.#parent[id] = none;
    this.#tracked -= 1;
    this.#keys.release(id);
  }
}
