import type { Finding, FindingSeverity } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { centsText, formatUsd, usdToCents } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import type { PriceBook } from './price-book.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { transfersOf } from './transfers.js';
import { typologyFinding } from './typology-finding.js';
import { WalletBook } from './wallet-book.js';
import { type Few, keptLatest, listed } from './few.js';

export interface VelocityOptions extends SharedAddressKeys {
  readonly prices: PriceBook;
  readonly wallets?: WalletBook;
  /** How far above baseline the current hour must be. Default 5 (five times the usual). */
  readonly multiplier?: number;
  /** Fewest outgoing transfers in the hour for a count finding. Default 10. */
  readonly minCount?: number;
  /** Least outgoing volume in the hour for a volume finding (USD, decimal text). Default `'25000'`. */
  readonly minVolumeUsd?: string;
  /** EWMA weight of each finished hour. Default 0.1 (a half-life of about 6.6 hours). */
  readonly alpha?: number;
  /** Hours a wallet is watched before it is judged. Default 24. */
  readonly warmupHours?: number;
  /** A wallet quiet this long is forgotten (and warms up again). Default 7 days. */
  readonly idleTtlMs?: number;
  /** Wallets tracked at once. Default 100,000. */
  readonly maxEntities?: number;
  /** Classes of the operator's own wallets: a spike there is a possible drain. Default `hot`, `cold`, `treasury`. */
  readonly ownClasses?: readonly string[];
}

/** Transfers in the hour before volume alone can make a finding. */
const minVolumeBurst = 3;

export const velocityDefaults = {
  multiplier: 5,
  minCount: 10,
  minVolumeUsd: '25000',
  alpha: 0.1,
  warmupHours: 24,
  idleTtlMs: 7 * 24 * 60 * 60 * 1000,
  maxEntities: 100_000,
  ownClasses: ['hot', 'cold', 'treasury'] as readonly string[],
} as const;

const hourMs = 60 * 60 * 1000;
const ppm = 1_000_000n;
const keptHashes = 20;
/** Quiet hours folded one by one; past this the baseline is zero to within rounding anyway. */
const maxFoldedGap = 24 * 366;

interface Rate {
  hour: number;
  count: number;
  /** USD cents sent this hour (priced assets only). */
  volume: bigint;
  /** EWMA of transfers per hour: a statistic, so a number. */
  baseCount: number;
  /** EWMA of cents per hour: money, so a bigint. */
  baseVolume: bigint;
  /** Finished hours folded into the baseline, quiet ones included. */
  hours: number;
  reportedHour: number;
  /** The latest transactions of the hour (`Few`: most wallets send once). */
  hashes: Few | undefined;
}

/**
 * Velocity: a wallet sending far more, or far more value, in the current hour than it usually
 * does. Per sending wallet, an EWMA of outgoing transfers and USD volume per clock hour, quiet
 * hours included, is the baseline; until `warmupHours` have passed the baseline is a plain mean
 * (so the first hours do not start it at zero) and nothing is reported. The current hour is
 * judged as it fills, so a drain is reported on the transfer that crosses the line, at most once
 * per wallet and hour.
 *
 * Volume needs USD: transfers in an unpriced asset count towards the rate, not the volume.
 * Outgoing only: a drain is value leaving. A new wallet is not judged until warmed up; fresh
 * attacker addresses are the other typologies' business.
 */
export class VelocityDetector implements TypologyDetector {
  readonly name = 'velocity';
  readonly #prices: PriceBook;
  readonly #wallets: WalletBook;
  readonly #multiplier: number;
  readonly #multiplierPpm: bigint;
  readonly #minCount: number;
  readonly #minVolume: bigint;
  readonly #alpha: number;
  readonly #warmup: number;
  readonly #own: ReadonlySet<string>;
  readonly #rates: BoundedMap<string, Rate>;

  constructor(options: VelocityOptions) {
    this.#prices = options.prices;
    this.#wallets = options.wallets ?? new WalletBook();
    this.#multiplier = options.multiplier ?? velocityDefaults.multiplier;
    this.#multiplierPpm = BigInt(Math.round(this.#multiplier * 1e6));
    this.#minCount = options.minCount ?? velocityDefaults.minCount;
    this.#minVolume = usdToCents(options.minVolumeUsd ?? velocityDefaults.minVolumeUsd);
    this.#alpha = options.alpha ?? velocityDefaults.alpha;
    if (!(this.#alpha > 0 && this.#alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], not ${this.#alpha}`);
    this.#warmup = options.warmupHours ?? velocityDefaults.warmupHours;
    this.#own = new Set(options.ownClasses ?? velocityDefaults.ownClasses);
    this.#rates = new BoundedMap({ maxEntries: options.maxEntities ?? velocityDefaults.maxEntities, ttlMs: options.idleTtlMs ?? velocityDefaults.idleTtlMs, keys: options.addresses });
  }

  stateSize(): number {
    return this.#rates.size;
  }

  observe(tx: Transaction): Finding[] {
    const transfers = transfersOf(tx);
    const first = transfers[0];
    if (first === undefined) return [];
    const wallet = first.from;
    const at = tx.timestamp;
    const hour = Math.floor(at / hourMs);
    let amount = 0n;
    for (const t of transfers) amount += t.amount;
    const cents = this.#prices.usdCents({ asset: tx.asset, amount, decimals: tx.decimals });

    const rate = this.#rates.get(wallet, at) ?? { hour, count: 0, volume: 0n, baseCount: 0, baseVolume: 0n, hours: 0, reportedHour: Number.NaN, hashes: undefined };
    if (hour > rate.hour) this.#roll(rate, hour);
    rate.count += 1;
    rate.volume += cents ?? 0n;
    // The latest ones: the transaction that crosses the line must be among them.
    rate.hashes = keptLatest(rate.hashes, tx.hash, keptHashes);
    this.#rates.set(wallet, rate, at);

    if (rate.hours < this.#warmup || rate.reportedHour === rate.hour) return [];
    const countHigh = rate.count >= this.#minCount && rate.count > this.#multiplier * rate.baseCount;
    // Volume alone needs a burst of a few transfers: one big transfer is the large-transfer
    // detector's finding, and counting it here too made most of velocity's false alarms.
    const volumeHigh =
      rate.count >= minVolumeBurst && rate.volume >= this.#minVolume && rate.volume * ppm > rate.baseVolume * this.#multiplierPpm;
    if (!countHigh && !volumeHigh) return [];
    rate.reportedHour = rate.hour;
    return [this.#finding({ wallet, rate, tx, trigger: countHigh && volumeHigh ? 'count,volume' : countHigh ? 'count' : 'volume' })];
  }

  /** Folds the finished hour and any quiet hours after it into the baseline. */
  #roll(rate: Rate, hour: number): void {
    const quiet = Math.min(hour - rate.hour - 1, maxFoldedGap);
    this.#fold(rate, { count: rate.count, volume: rate.volume });
    for (let i = 0; i < quiet; i += 1) this.#fold(rate, { count: 0, volume: 0n });
    rate.hour = hour;
    rate.count = 0;
    rate.volume = 0n;
    rate.hashes = undefined;
  }

  #fold(rate: Rate, observed: { count: number; volume: bigint }): void {
    // A plain running mean until it is older than the EWMA's own memory, then the EWMA.
    const a = Math.max(this.#alpha, 1 / (rate.hours + 1));
    const aPpm = BigInt(Math.round(a * 1e6));
    rate.baseCount += a * (observed.count - rate.baseCount);
    rate.baseVolume += ((observed.volume - rate.baseVolume) * aPpm) / ppm;
    rate.hours += 1;
  }

  #finding(input: { wallet: string; rate: Rate; tx: Transaction; trigger: string }): Finding {
    const { wallet, rate, tx, trigger } = input;
    const walletClass = this.#wallets.classOf(wallet);
    const own = walletClass !== undefined && this.#own.has(walletClass);
    const severity: FindingSeverity = own ? 'High' : 'Medium';
    const hourStart = new Date(rate.hour * hourMs).toISOString();
    const who = walletClass === undefined ? wallet : `${walletClass} wallet ${wallet}`;
    return typologyFinding({
      name: own ? `Outflow spike on ${walletClass} wallet` : 'Transfer velocity spike',
      description:
        `${who} sent ${rate.count} transfers worth ${formatUsd(rate.volume)} in the hour from ${hourStart.slice(11, 16)} UTC, against a usual ` +
        `${rate.baseCount.toFixed(1)} transfers and ${formatUsd(rate.baseVolume)} an hour: more than ${this.#multiplier}× its own baseline. ` +
        (own ? 'If this is not a planned batch, pause withdrawals from the wallet and check signer activity.' : 'Check what drove the burst.'),
      alertId: 'VIGIL-VELOCITY',
      severity,
      type: 'Suspicious',
      detector: this.name,
      entity: wallet,
      addresses: [],
      txHashes: listed(rate.hashes),
      at: tx.timestamp,
      stage: own ? 'exploitation' : undefined,
      metadata: {
        trigger,
        count: String(rate.count),
        volumeUsd: centsText(rate.volume),
        baselineCount: rate.baseCount.toFixed(2),
        baselineVolumeUsd: centsText(rate.baseVolume),
        multiplier: String(this.#multiplier),
        minCount: String(this.#minCount),
        minVolumeUsd: centsText(this.#minVolume),
        hourStart,
        ...(walletClass === undefined ? {} : { walletClass }),
      },
    });
  }
}
