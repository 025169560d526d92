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
 */
export class AddressClusters {
  /** Parent of each clustered address; a root is its own parent. */
  readonly #parent = new Map<string, string>();
  /** Members of each cluster, by root (the root included). */
  readonly #members = new Map<string, string[]>();

  /** Addresses held (those in clusters of two or more). */
  get tracked(): number {
    return this.#parent.size;
  }

  /** Clusters of two or more. */
  get clusters(): number {
    return this.#members.size;
  }

  /** The root of `address`'s cluster: the address itself when it is in none. */
  find(address: string): string {
    let root = address;
    let up = this.#parent.get(root);
    if (up === undefined) return address;
    while (up !== root) {
      root = up;
      up = this.#parent.get(root) ?? root;
    }
    // Path compression: everything on the way now points at the root.
    let at = address;
    while (at !== root) {
      const next = this.#parent.get(at) ?? root;
      this.#parent.set(at, root);
      at = next;
    }
    return root;
  }

  same(a: string, b: string): boolean {
    return this.find(a) === this.find(b);
  }

  /** Members of `address`'s cluster, the root first. Do not keep it: unions extend it in place. */
  members(address: string): readonly string[] {
    const root = this.find(address);
    return this.#members.get(root) ?? [root];
  }

  size(address: string): number {
    return this.#members.get(this.find(address))?.length ?? 1;
  }

  /** Puts `a` and `b` in one cluster; undefined when they already were. The larger cluster's root stays root (`a`'s on a tie). */
  union(a: string, b: string): Merge | undefined {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return undefined;
    const ma = this.#members.get(ra);
    const mb = this.#members.get(rb);
    const [root, absorbed] = (mb?.length ?? 1) > (ma?.length ?? 1) ? [rb, ra] : [ra, rb];
    let into = this.#members.get(root);
    if (into === undefined) {
      into = [root];
      this.#members.set(root, into);
      this.#parent.set(root, root);
    }
    const from = this.#members.get(absorbed);
    if (from === undefined) {
      into.push(absorbed);
    } else {
      for (const m of from) into.push(m);
      this.#members.delete(absorbed);
    }
    this.#parent.set(absorbed, root);
    return { root, absorbed };
  }

  /** Whether `address` is in a cluster of two or more. */
  isClustered(address: string): boolean {
    return this.#parent.has(address);
  }

  /**
   * Forgets the addresses `keep` rejects. Returns what happened to each root that changed: its
   * new root (a surviving member; the lone survivor of a cluster of one is its own root again),
   * or undefined when no member survived. Paths are flattened on the way.
   */
  compact(keep: (address: string) => boolean): Map<string, string | undefined> {
    const moved = this.#compactClusters([...this.#members.keys()], (a) => !keep(a));
    // Flatten the clusters that did not change, so no path outlives a compaction.
    for (const [root, members] of this.#members) for (const m of members) this.#parent.set(m, root);
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
    const roots = new Set<string>();
    const gone = new Set<string>();
    for (const a of suspects) {
      if (!this.#parent.has(a) || keep(a)) continue;
      gone.add(a);
      roots.add(this.find(a));
    }
    return this.#compactClusters([...roots], (a) => gone.has(a));
  }

  /**
   * Drops the members `gone` names from the clusters of `roots`. A cluster whose root stays keeps
   * its root and its member list's order, and only the parents that change are written: a big
   * cluster that lost one member costs a read per member, not a delete and a write each.
   */
  #compactClusters(roots: readonly string[], gone: (address: string) => boolean): Map<string, string | undefined> {
    const moved = new Map<string, string | undefined>();
    for (const root of roots) {
      const members = this.#members.get(root) ?? [];
      const survivors = members.filter((m) => !gone(m));
      if (survivors.length === members.length) continue;
      if (survivors.length < 2) {
        for (const m of members) this.#parent.delete(m);
        this.#members.delete(root);
        moved.set(root, survivors[0]);
        continue;
      }
      for (const m of members) if (gone(m)) this.#parent.delete(m);
      // The root is its list's first member, so the survivors' list starts with the new root either way.
      const next = gone(root) ? (survivors[0] as string) : root;
      if (next !== root) {
        this.#members.delete(root);
        moved.set(root, next);
      }
      this.#members.set(next, survivors);
      // A survivor's parent may be a member that went, or the old root: point each at the root.
      for (const m of survivors) if (this.#parent.get(m) !== next) this.#parent.set(m, next);
    }
    return moved;
  }
}
