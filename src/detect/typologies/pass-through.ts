import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { centsText, formatAsset, formatUnits, formatUsd, percentText, usdToCents } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import { type Few, keptOnce, listed } from './few.js';
import type { PriceBook } from './price-book.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { balanceDeltas } from './transfers.js';
import { elapsedText, typologyFinding } from './typology-finding.js';
import { WalletBook } from './wallet-book.js';

export interface PassThroughOptions extends SharedAddressKeys {
  readonly prices: PriceBook;
  readonly wallets?: WalletBook;
  /** Share of the inflow that must leave again, in percent. Default 90. */
  readonly forwardPct?: number;
  /** Time from the first inflow within which it must leave. Default 30 minutes. */
  readonly windowMs?: number;
  /**
   * Smallest inflow worth reporting (USD, decimal text). Default `'1000'`. Above zero, assets
   * without a price are skipped; `'0'` judges every asset in base units alone.
   */
  readonly minInflowUsd?: string;
  /** Wallet classes that forward funds for a living (exchange hot wallets). Default `hot`, `exchange`. */
  readonly exemptClasses?: readonly string[];
  /** Addresses tracked at once. Default 100,000. */
  readonly maxEntities?: number;
}

export const passThroughDefaults = {
  forwardPct: 90,
  windowMs: 30 * 60 * 1000,
  minInflowUsd: '1000',
  exemptClasses: ['hot', 'exchange'] as readonly string[],
  maxEntities: 100_000,
} as const;

/** Hashes and counterparties kept per episode: enough for the finding, bounded for a busy address. */
const keptPerEpisode = 20;

/** Hashes, sources and destinations are `Few`: an episode is nearly always one inflow from one source that never goes on. */
interface Episode {
  readonly asset: string;
  readonly start: number;
  inflow: bigint;
  outflow: bigint;
  hashes: Few | undefined;
  sources: Few | undefined;
  destinations: Few | undefined;
}

/** An address's open episodes: the one (nearly always), or one per asset. */
type Episodes = Episode | Episode[];

/**
 * Rapid pass-through: an address receives funds and within a short window forwards most of them
 * on, leaving a near-zero balance, the hallmark of a mule or a laundering hop.
 *
 * Per address and asset, an episode opens at an inflow and collects inflows and outflows (base
 * units) until the window from its first inflow runs out. It fires when outflow reaches
 * `forwardPct` of inflow, so what is left from the inflow is at most the rest. Vigil sees flows,
 * not balances: an outflow above inflow plus the same margin spent an older balance, so the
 * episode is dropped rather than reported. One finding per episode.
 */
export class PassThroughDetector implements TypologyDetector {
  readonly name = 'pass-through';
  readonly #prices: PriceBook;
  readonly #wallets: WalletBook;
  readonly #forwardPct: number;
  readonly #forwardBp: bigint;
  readonly #windowMs: number;
  readonly #minCents: bigint;
  readonly #exempt: ReadonlySet<string>;
  /** Open episodes per address, one per asset (nearly always just one): keyed by the bare address. */
  readonly #episodes: BoundedMap<string, Episodes>;

  constructor(options: PassThroughOptions) {
    this.#prices = options.prices;
    this.#wallets = options.wallets ?? new WalletBook();
    this.#forwardPct = options.forwardPct ?? passThroughDefaults.forwardPct;
    this.#forwardBp = BigInt(Math.round(this.#forwardPct * 100));
    this.#windowMs = options.windowMs ?? passThroughDefaults.windowMs;
    this.#minCents = usdToCents(options.minInflowUsd ?? passThroughDefaults.minInflowUsd);
    this.#exempt = new Set(options.exemptClasses ?? passThroughDefaults.exemptClasses);
    this.#episodes = new BoundedMap({ maxEntries: options.maxEntities ?? passThroughDefaults.maxEntities, ttlMs: this.#windowMs, keys: options.addresses });
  }

  stateSize(): number {
    return this.#episodes.size;
  }

  observe(tx: Transaction): Finding[] {
    const deltas = balanceDeltas(tx);
    if (deltas.length === 0) return [];
    if (this.#minCents > 0n && !this.#prices.has(tx.asset)) return [];
    const at = tx.timestamp;
    const out: Finding[] = [];
    for (const { address, delta } of deltas) {
      if (this.#wallets.hasClass(address, this.#exempt)) continue;
      const held = this.#episodes.get(address, at);
      let episode = episodeIn(held, tx.asset);
      if (episode !== undefined && at - episode.start > this.#windowMs) {
        this.#close({ address, episode, at });
        episode = undefined;
      }
      if (delta > 0n) {
        if (episode === undefined) {
          episode = { asset: tx.asset, start: at, inflow: 0n, outflow: 0n, hashes: undefined, sources: undefined, destinations: undefined };
          this.#episodes.set(address, this.#opened(this.#episodes.get(address, at), episode), at);
        } else {
          this.#episodes.set(address, held ?? episode, at);
        }
        episode.inflow += delta;
        episode.hashes = kept(episode.hashes, tx.hash);
        for (const d of deltas) if (d.delta < 0n) episode.sources = kept(episode.sources, d.address);
        continue;
      }
      if (episode === undefined) continue;
      episode.outflow -= delta;
      episode.hashes = kept(episode.hashes, tx.hash);
      for (const d of deltas) if (d.delta > 0n) episode.destinations = kept(episode.destinations, d.address);
      // Spent more than the inflow plus the margin: an older balance paid for it (see above).
      if (episode.outflow * 10_000n > episode.inflow * (20_000n - this.#forwardBp)) {
        this.#close({ address, episode, at });
        continue;
      }
      if (episode.outflow * 10_000n < episode.inflow * this.#forwardBp) continue;
      this.#close({ address, episode, at });
      const cents = this.#prices.usdCents({ asset: tx.asset, amount: episode.inflow, decimals: tx.decimals });
      if (this.#minCents > 0n && (cents === undefined || cents < this.#minCents)) continue;
      out.push(this.#finding({ address, episode, tx, cents }));
    }
    return out;
  }

  /** Ends an episode; the address's entry goes when it has no other asset's episode open. */
  #close(input: { address: string; episode: Episode; at: number }): void {
    const { address, episode, at } = input;
    const held = this.#episodes.get(address, at);
    if (held === undefined) return;
    if (!Array.isArray(held)) {
      if (held === episode) this.#episodes.delete(address);
      return;
    }
    const i = held.indexOf(episode);
    if (i >= 0) held.splice(i, 1);
    if (held.length === 0) this.#episodes.delete(address);
  }

  /** `held` with `episode` added and the episodes whose window has passed dropped. */
  #opened(held: Episodes | undefined, episode: Episode): Episodes {
    if (held === undefined) return episode;
    const open = (Array.isArray(held) ? held : [held]).filter((e) => episode.start - e.start <= this.#windowMs);
    if (open.length === 0) return episode;
    open.push(episode);
    return open;
  }

  #finding(input: { address: string; episode: Episode; tx: Transaction; cents: bigint | undefined }): Finding {
    const { address, episode, tx, cents } = input;
    const amount = (value: bigint): string => formatAsset({ amount: value, decimals: tx.decimals, asset: tx.asset });
    const left = episode.inflow > episode.outflow ? episode.inflow - episode.outflow : 0n;
    const elapsed = elapsedText(tx.timestamp - episode.start);
    const metadata: Record<string, string> = {
      asset: tx.asset,
      inflow: formatUnits(episode.inflow, tx.decimals),
      outflow: formatUnits(episode.outflow, tx.decimals),
      forwardedPct: percentText(episode.outflow, episode.inflow),
      forwardPct: String(this.#forwardPct),
      windowMs: String(this.#windowMs),
      elapsedMs: String(tx.timestamp - episode.start),
      chain: tx.chain,
    };
    if (cents !== undefined) metadata.inflowUsd = centsText(cents);
    return typologyFinding({
      name: 'Rapid pass-through',
      description:
        `${address} received ${amount(episode.inflow)}${cents === undefined ? '' : ` (${formatUsd(cents)})`} and forwarded ${amount(episode.outflow)} ` +
        `(${percentText(episode.outflow, episode.inflow)}%) within ${elapsed}, leaving ${amount(left)} of it. ` +
        'An address that only relays funds is a mule or a laundering hop; trace the destinations.',
      alertId: 'VIGIL-PASS-THROUGH',
      severity: 'Medium',
      type: 'Suspicious',
      detector: this.name,
      entity: address,
      addresses: [...listed(episode.sources), ...listed(episode.destinations)],
      txHashes: listed(episode.hashes),
      at: tx.timestamp,
      stage: 'laundering',
      metadata,
    });
  }
}

/** The episode of `asset` among an address's open ones, if any. */
function episodeIn(held: Episodes | undefined, asset: string): Episode | undefined {
  if (held === undefined) return undefined;
  if (Array.isArray(held)) return held.find((e) => e.asset === asset);
  return held.asset === asset ? held : undefined;
}

function kept(list: Few | undefined, item: string): Few {
  return keptOnce(list, item, keptPerEpisode);
}
