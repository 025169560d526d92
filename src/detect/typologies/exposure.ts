import type { AttackStage, Finding, FindingSeverity } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { centsText, formatAsset, formatUnits, formatUsd, usdToCents } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import type { PriceBook } from './price-book.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { type Transfer, sendersOf, transfersOf } from './transfers.js';
import { typologyFinding } from './typology-finding.js';
import { WalletBook } from './wallet-book.js';

/** Which list an address is on. Sanctioned wins when an address is on both. */
export type ListKind = 'mixer' | 'sanctioned';

/** Listed address → label, such as `{ '0xd90e…': 'Tornado Cash 100 ETH' }`. */
export type AddressList = Readonly<Record<string, string>>;

export interface ExposureOptions extends SharedAddressKeys {
  readonly prices: PriceBook;
  readonly wallets?: WalletBook;
  readonly mixers?: AddressList;
  readonly sanctioned?: AddressList;
  /** Farthest a watched wallet may be from a listed address, in transfers, to be reported. Default 2. */
  readonly maxHops?: number;
  /**
   * Smallest transfer that carries taint (USD, decimal text). Default `'100'`. Anyone can send
   * dust from a mixer to anyone; without a floor a few cents would taint a famous wallet and
   * everyone it pays. Unpriced transfers carry taint: exposure errs towards telling.
   */
  readonly minTaintUsd?: string;
  /** How long an address stays tainted after it was tainted. Default 30 days. */
  readonly taintTtlMs?: number;
  /** Tainted addresses tracked at once. Default 200,000. */
  readonly maxEntities?: number;
  /** Report direct contact for `any` address (attacker funding and cash-out) or only `watched` ones. Default `any`. */
  readonly directScope?: 'any' | 'watched';
}

export const exposureDefaults = {
  maxHops: 2,
  minTaintUsd: '100',
  taintTtlMs: 30 * 24 * 60 * 60 * 1000,
  maxEntities: 200_000,
  directScope: 'any',
} as const;

interface Listing {
  readonly address: string;
  readonly list: ListKind;
  readonly label: string;
}

interface Taint {
  readonly hops: number;
  readonly listing: Listing;
  /** From the listed address to the tainted one. */
  readonly path: readonly string[];
  readonly hashes: readonly string[];
}

const listNames: Record<ListKind, string> = { mixer: 'mixer', sanctioned: 'sanctioned address' };

/**
 * Mixer and sanctioned-list exposure, from configured lists with labels.
 *
 * Direct: a transaction with a listed address on one side. Received from a list (a mixer
 * withdrawal funding an address, the classic first move before an exploit) is stage `funding`;
 * sent to a list (a mixer deposit, a cash-out) is stage `laundering`. Reported about the other
 * party, for any address or only watched ones (`directScope`).
 *
 * Indirect: an address that received from a listed address is tainted at one hop, and one that
 * received from a tainted address at one hop more, up to `maxHops − 1`, in a bounded map. A
 * watched wallet receiving from a tainted address within `maxHops` is reported with the hop count
 * and the path. Watched wallets pass no taint on: an exchange hot wallet that took one tainted
 * deposit would otherwise taint every customer it pays.
 */
export class ExposureDetector implements TypologyDetector {
  readonly name = 'exposure';
  readonly #prices: PriceBook;
  readonly #wallets: WalletBook;
  readonly #listed = new Map<string, Listing>();
  readonly #maxHops: number;
  readonly #minTaintCents: bigint;
  readonly #directScope: 'any' | 'watched';
  readonly #taint: BoundedMap<string, Taint>;

  constructor(options: ExposureOptions) {
    this.#prices = options.prices;
    this.#wallets = options.wallets ?? new WalletBook();
    for (const [address, label] of Object.entries(options.mixers ?? {})) this.#listed.set(address.toLowerCase(), { address: address.toLowerCase(), list: 'mixer', label });
    for (const [address, label] of Object.entries(options.sanctioned ?? {})) this.#listed.set(address.toLowerCase(), { address: address.toLowerCase(), list: 'sanctioned', label });
    this.#maxHops = Math.max(1, options.maxHops ?? exposureDefaults.maxHops);
    this.#minTaintCents = usdToCents(options.minTaintUsd ?? exposureDefaults.minTaintUsd);
    this.#directScope = options.directScope ?? exposureDefaults.directScope;
    this.#taint = new BoundedMap({ maxEntries: options.maxEntities ?? exposureDefaults.maxEntities, ttlMs: options.taintTtlMs ?? exposureDefaults.taintTtlMs, keys: options.addresses });
  }

  stateSize(): number {
    return this.#taint.size;
  }

  observe(tx: Transaction): Finding[] {
    const transfers = transfersOf(tx);
    if (transfers.length === 0) return [];
    const at = tx.timestamp;
    const senders = sendersOf(tx);
    const listedSender = this.#bestListing(senders);
    const source = listedSender === undefined ? this.#bestTaint(senders, at) : undefined;
    const out: Finding[] = [];
    const depositsReported = new Set<string>();
    for (const t of transfers) {
      const listedRecipient = this.#listed.get(t.to);
      if (listedSender !== undefined && listedRecipient !== undefined) continue;
      const cents = this.#prices.usdCents({ asset: tx.asset, amount: t.amount, decimals: tx.decimals });
      if (listedRecipient !== undefined) {
        // One deposit finding per listed recipient, about the (primary) sender.
        if (depositsReported.has(listedRecipient.address)) continue;
        depositsReported.add(listedRecipient.address);
        if (this.#inScope(t.from)) out.push(this.#direct({ listing: listedRecipient, party: t.from, direction: 'sent', transfer: t, cents, tx }));
        continue;
      }
      if (listedSender !== undefined && this.#inScope(t.to)) out.push(this.#direct({ listing: listedSender, party: t.to, direction: 'received', transfer: t, cents, tx }));
      const carries = cents === undefined || cents >= this.#minTaintCents;
      if (!carries) continue;
      const taint: Taint | undefined =
        listedSender !== undefined
          ? { hops: 1, listing: listedSender, path: [listedSender.address, t.to], hashes: [tx.hash] }
          : source === undefined
            ? undefined
            : { hops: source.hops + 1, listing: source.listing, path: [...source.path, t.to], hashes: [...source.hashes, tx.hash] };
      if (taint === undefined || taint.hops > this.#maxHops) continue;
      if (this.#wallets.isWatched(t.to)) {
        if (listedSender === undefined) out.push(this.#indirect({ taint, transfer: t, cents, tx }));
        continue;
      }
      if (taint.hops >= this.#maxHops) continue;
      const held = this.#taint.get(t.to, at);
      if (held === undefined || taint.hops < held.hops) this.#taint.set(t.to, taint, at);
    }
    return out;
  }

  #inScope(party: string): boolean {
    return this.#directScope === 'any' || this.#wallets.isWatched(party);
  }

  #bestListing(addresses: readonly string[]): Listing | undefined {
    let best: Listing | undefined;
    for (const a of addresses) {
      const l = this.#listed.get(a);
      if (l !== undefined && (best === undefined || (l.list === 'sanctioned' && best.list === 'mixer'))) best = l;
    }
    return best;
  }

  #bestTaint(addresses: readonly string[], at: number): Taint | undefined {
    let best: Taint | undefined;
    for (const a of addresses) {
      const t = this.#taint.get(a, at);
      if (t !== undefined && (best === undefined || t.hops < best.hops)) best = t;
    }
    return best;
  }

  #direct(input: { listing: Listing; party: string; direction: 'sent' | 'received'; transfer: Transfer; cents: bigint | undefined; tx: Transaction }): Finding {
    const { listing, party, direction, transfer, cents, tx } = input;
    const sanctioned = listing.list === 'sanctioned';
    const watched = this.#wallets.isWatched(party);
    const small = cents !== undefined && cents < this.#minTaintCents;
    const severity: FindingSeverity = small ? 'Low' : sanctioned ? (watched ? 'Critical' : 'High') : watched ? 'High' : 'Medium';
    const stage: AttackStage = direction === 'received' ? 'funding' : 'laundering';
    const amount = `${formatAsset({ amount: transfer.amount, decimals: tx.decimals, asset: tx.asset })}${cents === undefined ? '' : ` (${formatUsd(cents)})`}`;
    const what =
      direction === 'received'
        ? `${party} received ${amount} from ${listNames[listing.list]} ${listing.address} (${listing.label}).`
        : `${party} sent ${amount} to ${listNames[listing.list]} ${listing.address} (${listing.label}).`;
    const advice = small
      ? ' The amount is small: it may be unsolicited dust sent to taint the address; record it and do not act on the funds.'
      : sanctioned
        ? watched
          ? ' A watched wallet dealt with a sanctioned address: freeze related activity and escalate to compliance.'
          : ' Dealing with a sanctioned address is prohibited; block the address from your services.'
        : direction === 'received'
          ? ' Mixer-funded addresses often deploy or fund an exploit next; watch what it calls.'
          : ' Funds going into a mixer are being laundered; note the amount and time for tracing.';
    const list = listing.list === 'mixer' ? 'MIXER' : 'SANCTIONED';
    return typologyFinding({
      name: direction === 'received' ? `Funded by ${listNames[listing.list]}` : `Sent to ${listNames[listing.list]}`,
      description: what + advice,
      alertId: direction === 'received' ? `VIGIL-${list}-${listing.list === 'mixer' ? 'WITHDRAWAL' : 'INFLOW'}` : `VIGIL-${list}-${listing.list === 'mixer' ? 'DEPOSIT' : 'OUTFLOW'}`,
      severity,
      type: 'Suspicious',
      detector: this.name,
      entity: party,
      addresses: [listing.address],
      txHashes: [tx.hash],
      at: tx.timestamp,
      stage,
      labels: [{ entityType: 'address', entity: listing.address, label: `${listing.list}: ${listing.label}`, confidence: 1 }],
      metadata: {
        list: listing.list,
        label: listing.label,
        listedAddress: listing.address,
        direction,
        hops: '1',
        amount: formatUnits(transfer.amount, tx.decimals),
        asset: tx.asset,
        ...(cents === undefined ? {} : { usdValue: centsText(cents) }),
        watched: String(watched),
        chain: tx.chain,
      },
    });
  }

  #indirect(input: { taint: Taint; transfer: Transfer; cents: bigint | undefined; tx: Transaction }): Finding {
    const { taint, transfer, cents, tx } = input;
    const { listing } = taint;
    const wallet = transfer.to;
    const amount = `${formatAsset({ amount: transfer.amount, decimals: tx.decimals, asset: tx.asset })}${cents === undefined ? '' : ` (${formatUsd(cents)})`}`;
    const list = listing.list === 'mixer' ? 'MIXER' : 'SANCTIONED';
    return typologyFinding({
      name: `Indirect exposure to ${listNames[listing.list]}`,
      description:
        `Watched wallet ${wallet} received ${amount} from ${transfer.from}, ${taint.hops} hops from ${listNames[listing.list]} ${listing.address} (${listing.label}): ` +
        `${taint.path.join(' → ')}. Review the sender before crediting or returning the funds.`,
      alertId: `VIGIL-${list}-INDIRECT`,
      severity: listing.list === 'sanctioned' ? 'High' : 'Medium',
      type: 'Suspicious',
      detector: this.name,
      entity: wallet,
      addresses: taint.path,
      txHashes: taint.hashes,
      at: tx.timestamp,
      labels: [{ entityType: 'address', entity: listing.address, label: `${listing.list}: ${listing.label}`, confidence: 1 }],
      metadata: {
        list: listing.list,
        label: listing.label,
        listedAddress: listing.address,
        hops: String(taint.hops),
        maxHops: String(this.#maxHops),
        path: taint.path.join(' > '),
        sender: transfer.from,
        amount: formatUnits(transfer.amount, tx.decimals),
        asset: tx.asset,
        ...(cents === undefined ? {} : { usdValue: centsText(cents) }),
        chain: tx.chain,
      },
    });
  }
}
