import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { formatAsset, formatUnits } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import type { DustPolicy } from './dust-policy.js';
import type { TypologyDetector } from './transaction-detector.js';
import { type Transfer, transfersOf } from './transfers.js';
import { typologyFinding } from './typology-finding.js';
import type { WalletBook } from './wallet-book.js';

export interface AddressPoisoningOptions {
  readonly wallets: WalletBook;
  readonly dust: DustPolicy;
  /** Characters compared at the start of an address (after `0x`). Default 4. */
  readonly prefixChars?: number;
  /** Characters compared at the end. Default 4. */
  readonly suffixChars?: number;
  /** Real counterparties remembered per watched wallet. Default 5,000. */
  readonly maxCounterparties?: number;
  /** Look-alike addresses remembered per watched wallet. Default 1,000. */
  readonly maxPoisoners?: number;
  /** How long a counterparty or a look-alike is remembered after it was last seen. Default 180 days. */
  readonly memoryMs?: number;
}

export const addressPoisoningDefaults = {
  prefixChars: 4,
  suffixChars: 4,
  maxCounterparties: 5_000,
  maxPoisoners: 1_000,
  memoryMs: 180 * 24 * 60 * 60 * 1000,
} as const;

/**
 * Real counterparties kept per look-alike key. Two real ones sharing a key are rare (one in 4^16
 * for hex); a cap keeps a crafted flood of them from growing one entry without bound.
 */
const maxPerKey = 8;

const sharedPrefix = /^(?:0x|(?:bc|tb|ltc)1[qp])/;

interface Poisoner {
  readonly mimics: string;
  readonly hash: string;
}

interface WalletMemory {
  /**
   * Look-alike key → the real counterparty with that key, or the few when more than one share it
   * (a string while there is one: nearly always, and an array each cost 150 bytes more per entry).
   */
  readonly counterparties: BoundedMap<string, string | string[]>;
  /** Made at the first look-alike: most watched wallets never meet one (a deposit address meets its customers). */
  poisoners: BoundedMap<string, Poisoner> | undefined;
}

/**
 * Address poisoning: an attacker generates an address with the same leading and trailing hex as
 * one a watched wallet really deals with, then sends the wallet a zero-value or dust transfer from
 * it (or spoofs a zero-value transfer from the wallet to it), so the look-alike sits in the
 * wallet's history waiting to be copied. Stage `preparation`.
 *
 * A real counterparty is an address the watched wallet sent to or received from more than dust.
 * The detector also reports the loss itself: the watched wallet sending real value to a known
 * look-alike, or to a new address that looks like one of its counterparties (stage
 * `exploitation`, Critical). Memory is per watched wallet, so it is bounded by the configured
 * wallets times the caps. Dust needs a dust threshold or a price; zero-value transfers need neither.
 */
export class AddressPoisoningDetector implements TypologyDetector {
  readonly name = 'address-poisoning';
  readonly #wallets: WalletBook;
  readonly #dust: DustPolicy;
  readonly #prefix: number;
  readonly #suffix: number;
  readonly #maxCounterparties: number;
  readonly #maxPoisoners: number;
  readonly #memoryMs: number;
  readonly #memory = new Map<string, WalletMemory>();

  constructor(options: AddressPoisoningOptions) {
    this.#wallets = options.wallets;
    this.#dust = options.dust;
    this.#prefix = options.prefixChars ?? addressPoisoningDefaults.prefixChars;
    this.#suffix = options.suffixChars ?? addressPoisoningDefaults.suffixChars;
    this.#maxCounterparties = options.maxCounterparties ?? addressPoisoningDefaults.maxCounterparties;
    this.#maxPoisoners = options.maxPoisoners ?? addressPoisoningDefaults.maxPoisoners;
    this.#memoryMs = options.memoryMs ?? addressPoisoningDefaults.memoryMs;
  }

  stateSize(): number {
    let size = 0;
    for (const m of this.#memory.values()) size += m.counterparties.size + (m.poisoners?.size ?? 0);
    return size;
  }

  observe(tx: Transaction): Finding[] {
    const out: Finding[] = [];
    for (const t of transfersOf(tx)) {
      if (t.from === t.to) continue;
      const zero = t.amount === 0n;
      const dust = zero || this.#dust.isDust({ asset: tx.asset, amount: t.amount, decimals: tx.decimals }) === true;
      if (this.#wallets.isWatched(t.to)) {
        const found = dust ? this.#poisoning({ wallet: t.to, suspect: t.from, transfer: t, tx }) : undefined;
        if (found !== undefined) out.push(found);
        else if (!dust) this.#remember(t.to, t.from, tx.timestamp);
      }
      if (this.#wallets.isWatched(t.from)) {
        // A zero-value transfer "from" the wallet is the spoofed-transferFrom variant of the bait.
        const found = zero ? this.#poisoning({ wallet: t.from, suspect: t.to, transfer: t, tx }) : dust ? undefined : this.#sent(t, tx);
        if (found !== undefined) out.push(found);
      }
    }
    return out;
  }

  #memoryOf(wallet: string): WalletMemory {
    let m = this.#memory.get(wallet);
    if (m === undefined) {
      m = {
        counterparties: new BoundedMap({ maxEntries: this.#maxCounterparties, ttlMs: this.#memoryMs }),
        poisoners: undefined,
      };
      this.#memory.set(wallet, m);
    }
    return m;
  }

  /**
   * The look-alike key: leading and trailing characters. The `0x` of hex addresses and the
   * human-readable part of bech32 ones (`bc1q`) are shared by every address, so they are left out.
   */
  #key(address: string): string | undefined {
    const body = address.replace(sharedPrefix, '');
    if (body.length <= this.#prefix + this.#suffix) return undefined;
    // Both parts have a fixed length, so any separator is unambiguous; an ASCII one keeps the key a one-byte string.
    return `${body.slice(0, this.#prefix)}.${body.slice(body.length - this.#suffix)}`;
  }

  #remember(wallet: string, counterparty: string, at: number): void {
    const key = this.#key(counterparty);
    if (key === undefined) return;
    const m = this.#memoryOf(wallet);
    if (m.poisoners?.has(counterparty, at) === true) return;
    const known = m.counterparties.get(key, at);
    if (known === undefined || known === counterparty) {
      m.counterparties.set(key, counterparty, at);
      return;
    }
    const all = typeof known === 'string' ? [known] : known;
    if (!all.includes(counterparty)) {
      all.push(counterparty);
      if (all.length > maxPerKey) all.shift();
    }
    m.counterparties.set(key, all, at);
  }

  /** The real counterparty `suspect` imitates, if it imitates one. */
  #imitated(wallet: string, suspect: string, at: number): string | undefined {
    const key = this.#key(suspect);
    if (key === undefined) return undefined;
    const known = this.#memoryOf(wallet).counterparties.get(key, at);
    if (known === undefined || known === suspect) return undefined;
    if (typeof known === 'string') return known;
    return known.includes(suspect) ? undefined : known[0];
  }

  #poisoning(input: { wallet: string; suspect: string; transfer: Transfer; tx: Transaction }): Finding | undefined {
    const { wallet, suspect, transfer, tx } = input;
    const mimics = this.#imitated(wallet, suspect, tx.timestamp);
    if (mimics === undefined) return undefined;
    const m = this.#memoryOf(wallet);
    m.poisoners ??= new BoundedMap({ maxEntries: this.#maxPoisoners, ttlMs: this.#memoryMs });
    m.poisoners.set(suspect, { mimics, hash: tx.hash }, tx.timestamp);
    const amount = formatAsset({ amount: transfer.amount, decimals: tx.decimals, asset: tx.asset });
    const spoofed = transfer.from === wallet;
    return typologyFinding({
      name: 'Address poisoning',
      description:
        (spoofed
          ? `A ${amount} transfer from watched wallet ${wallet} to ${suspect} appeared in its history`
          : `Watched wallet ${wallet} received ${amount} from ${suspect}`) +
        `, an address made to look like its real counterparty ${mimics} (same first ${this.#prefix} and last ${this.#suffix} characters). ` +
        'Warn the wallet operators never to copy addresses from history, and block the look-alike in withdrawal tools.',
      alertId: 'VIGIL-ADDRESS-POISONING',
      severity: 'Medium',
      type: 'Scam',
      detector: this.name,
      entity: suspect,
      addresses: [wallet, mimics],
      txHashes: [tx.hash],
      at: tx.timestamp,
      stage: 'preparation',
      metadata: {
        wallet,
        lookAlike: suspect,
        imitates: mimics,
        amount: formatUnits(transfer.amount, tx.decimals),
        asset: tx.asset,
        variant: spoofed ? 'zero-value transfer from the wallet' : transfer.amount === 0n ? 'zero-value transfer' : 'dust transfer',
        prefixChars: String(this.#prefix),
        suffixChars: String(this.#suffix),
        chain: tx.chain,
      },
    });
  }

  /** A watched wallet sent real value: to a look-alike it is a loss, otherwise a new counterparty. */
  #sent(transfer: Transfer, tx: Transaction): Finding | undefined {
    const wallet = transfer.from;
    const to = transfer.to;
    const at = tx.timestamp;
    const poisoner = this.#memoryOf(wallet).poisoners?.get(to, at);
    const mimics = poisoner?.mimics ?? this.#imitated(wallet, to, at);
    if (mimics === undefined) {
      this.#remember(wallet, to, at);
      return undefined;
    }
    const amount = formatAsset({ amount: transfer.amount, decimals: tx.decimals, asset: tx.asset });
    return typologyFinding({
      name: 'Funds sent to a look-alike address',
      description:
        `Watched wallet ${wallet} sent ${amount} to ${to}, which looks like its real counterparty ${mimics} but is not it` +
        (poisoner === undefined ? '' : `; the look-alike poisoned the wallet's history earlier (${poisoner.hash})`) +
        '. The address was probably copied from history: contact the intended recipient and start recovery now.',
      alertId: 'VIGIL-POISONED-ADDRESS-USED',
      severity: 'Critical',
      type: 'Scam',
      detector: this.name,
      entity: to,
      addresses: [wallet, mimics],
      txHashes: poisoner === undefined ? [tx.hash] : [poisoner.hash, tx.hash],
      at,
      stage: 'exploitation',
      metadata: {
        wallet,
        lookAlike: to,
        imitates: mimics,
        amount: formatUnits(transfer.amount, tx.decimals),
        asset: tx.asset,
        knownPoisoner: String(poisoner !== undefined),
        chain: tx.chain,
      },
    });
  }
}
