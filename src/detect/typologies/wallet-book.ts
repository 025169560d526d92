/**
 * The wallets an operator knows: a class per address (`hot`, `cold`, `customer`, `treasury`,
 * `exchange`, any word the operator uses) and the set it watches. Classes tune thresholds and
 * exempt wallets whose normal business looks like a typology (an exchange hot wallet fans out
 * all day); watched wallets are the ones whose exposure and poisoning matter.
 */
export interface WalletBookOptions {
  /** Address → class; addresses are compared lowercased. */
  readonly classes?: Readonly<Record<string, string>>;
  /** Wallets watched beyond the classified ones. */
  readonly watched?: readonly string[];
}

export class WalletBook {
  readonly #classes = new Map<string, string>();
  readonly #watched = new Set<string>();

  constructor(options: WalletBookOptions = {}) {
    for (const [address, walletClass] of Object.entries(options.classes ?? {})) this.#classes.set(address.toLowerCase(), walletClass);
    // Every classified wallet is one the operator runs or serves, so it is watched too.
    for (const address of this.#classes.keys()) this.#watched.add(address);
    for (const address of options.watched ?? []) this.#watched.add(address.toLowerCase());
  }

  /** The class of a lowercased address, if configured. */
  classOf(address: string): string | undefined {
    return this.#classes.get(address);
  }

  /** Whether a lowercased address is watched (listed as watched, or classified). */
  isWatched(address: string): boolean {
    return this.#watched.has(address);
  }

  /** Whether a lowercased address has one of the classes. */
  hasClass(address: string, classes: ReadonlySet<string>): boolean {
    const c = this.#classes.get(address);
    return c !== undefined && classes.has(c);
  }
}
