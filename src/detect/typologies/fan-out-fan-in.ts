import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { BoundedMap } from './bounded-map.js';
import { type RecentPeers, addPeer, emptyPeers, hashesOf, peersOf } from './recent-peers.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { transfersOf } from './transfers.js';
import { durationText, typologyFinding } from './typology-finding.js';
import { WalletBook } from './wallet-book.js';

export interface FanOutFanInOptions extends SharedAddressKeys {
  readonly wallets?: WalletBook;
  /** Distinct counterparties within the window that make a burst. Default 20. */
  readonly minCounterparties?: number;
  /** Default 1 hour. */
  readonly windowMs?: number;
  /**
   * Wallet classes whose business is to pay and be paid by many: an exchange hot wallet fans
   * out withdrawals and fans in deposits all day. Default `hot`, `exchange`.
   */
  readonly exemptClasses?: readonly string[];
  /** Addresses tracked at once, per direction. Default 50,000. */
  readonly maxEntities?: number;
}

export const fanOutFanInDefaults = {
  minCounterparties: 20,
  windowMs: 60 * 60 * 1000,
  exemptClasses: ['hot', 'exchange'] as readonly string[],
  maxEntities: 50_000,
} as const;

type Direction = 'out' | 'in';

/**
 * Fan-out and fan-in: one address paying (fan-out) or paid by (fan-in) many distinct
 * counterparties within a window. Fan-out splits funds to break the trail, a laundering step;
 * fan-in gathers from many, which is a drainer collecting from victims as often as a service
 * consolidating deposits, so it carries no attack stage of its own.
 *
 * One finding per burst: after a finding the address stays quiet for a window, then a burst
 * still under way is reported again. Works in any asset, priced or not.
 */
export class FanOutFanInDetector implements TypologyDetector {
  readonly name = 'fan-out-fan-in';
  readonly #wallets: WalletBook;
  readonly #min: number;
  readonly #windowMs: number;
  readonly #exempt: ReadonlySet<string>;
  readonly #out: BoundedMap<string, RecentPeers>;
  readonly #in: BoundedMap<string, RecentPeers>;

  constructor(options: FanOutFanInOptions = {}) {
    this.#wallets = options.wallets ?? new WalletBook();
    this.#min = Math.max(2, options.minCounterparties ?? fanOutFanInDefaults.minCounterparties);
    this.#windowMs = options.windowMs ?? fanOutFanInDefaults.windowMs;
    this.#exempt = new Set(options.exemptClasses ?? fanOutFanInDefaults.exemptClasses);
    const bounds = { maxEntries: options.maxEntities ?? fanOutFanInDefaults.maxEntities, ttlMs: this.#windowMs, keys: options.addresses };
    this.#out = new BoundedMap(bounds);
    this.#in = new BoundedMap(bounds);
  }

  stateSize(): number {
    return this.#out.size + this.#in.size;
  }

  observe(tx: Transaction): Finding[] {
    const out: Finding[] = [];
    for (const t of transfersOf(tx)) {
      if (t.from === t.to) continue;
      const fanOut = this.#contact({ direction: 'out', entity: t.from, peer: t.to }, tx);
      if (fanOut !== undefined) out.push(fanOut);
      const fanIn = this.#contact({ direction: 'in', entity: t.to, peer: t.from }, tx);
      if (fanIn !== undefined) out.push(fanIn);
    }
    return out;
  }

  #contact(input: { direction: Direction; entity: string; peer: string }, tx: Transaction): Finding | undefined {
    const { direction, entity, peer } = input;
    if (this.#wallets.hasClass(entity, this.#exempt)) return undefined;
    const map = direction === 'out' ? this.#out : this.#in;
    const at = tx.timestamp;
    const state = map.get(entity, at) ?? emptyPeers();
    const count = addPeer(state, { peer, at, hash: tx.hash }, { windowMs: this.#windowMs, cap: this.#min });
    map.set(entity, state, at);
    if (count < this.#min || at < state.quietUntil) return undefined;
    state.quietUntil = at + this.#windowMs;

    const window = durationText(this.#windowMs);
    const fanOut = direction === 'out';
    return typologyFinding({
      name: fanOut ? 'Fan-out: funds split to many addresses' : 'Fan-in: funds gathered from many addresses',
      description: fanOut
        ? `${entity} sent ${tx.asset} to ${count} distinct addresses within ${window}. Splitting funds across many addresses breaks the trail; check whether the address is a known payout service, and classify it if so.`
        : `${entity} received ${tx.asset} from ${count} distinct addresses within ${window}. Gathering from many senders is how drainers collect from victims; check whether the address is a known deposit or consolidation wallet, and classify it if so.`,
      alertId: fanOut ? 'VIGIL-FAN-OUT' : 'VIGIL-FAN-IN',
      severity: fanOut ? 'Medium' : 'Low',
      type: 'Suspicious',
      detector: this.name,
      entity,
      addresses: peersOf(state),
      txHashes: hashesOf(state),
      at,
      stage: fanOut ? 'laundering' : undefined,
      metadata: {
        direction,
        counterparties: String(count),
        minCounterparties: String(this.#min),
        windowMs: String(this.#windowMs),
        asset: tx.asset,
        chain: tx.chain,
      },
    });
  }
}
