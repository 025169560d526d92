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
import { CentsCells } from './cents-cells.js';
import { grown } from '../grown.js';

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

/**
 * A wallet's numbers, by its slot in `#rates`: eight cells (64 bytes, the last unused) per
 * wallet. The hour is counted in clock hours since the epoch; the volumes are USD cents
 * (`CentsCells`).
 */
const stride = 8;
/** The current hour. */
const HOUR = 0;
/** Outgoing transfers this hour. */
const COUNT = 1;
/** EWMA of transfers per hour: a statistic, so a plain number. */
const BASE_COUNT = 2;
/** Finished hours folded into the baseline, quiet ones included. */
const HOURS = 3;
/** The hour last reported (NaN: none). */
const REPORTED_HOUR = 4;
/** USD cents sent this hour (priced assets only). */
const VOLUME = 5;
/** EWMA of cents per hour: money, so exact. */
const BASE_VOLUME = 6;

const none = -1;

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
  /** Per sending wallet, the latest transactions of its hour (`Few`: most wallets send once); its numbers are in `#data` by slot. */
  readonly #rates: BoundedMap<string, Few | undefined>;
  #data = new Float64Array(16 * stride);
  readonly #cents = new CentsCells();

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

    const known = this.#rates.slotOf(wallet, at);
    let hashes = known === none ? undefined : this.#rates.valueAt(known);
    if (known !== none && hour > (this.#data[known * stride + HOUR] ?? hour)) {
      // A known wallet keeps its slot through `set` below, so its row is the same there.
      this.#roll(known * stride, hour);
      hashes = undefined;
    }
    // The latest ones: the transaction that crosses the line must be among them.
    const slot = this.#rates.set(wallet, keptLatest(hashes, tx.hash, keptHashes), at);
    const row = slot * stride;
    if (known === none) this.#start(row, hour);
    const d = this.#data;
    const count = (d[row + COUNT] ?? 0) + 1;
    d[row + COUNT] = count;
    if (cents !== undefined) this.#cents.add(d, row + VOLUME, cents);

    if ((d[row + HOURS] ?? 0) < this.#warmup || d[row + REPORTED_HOUR] === d[row + HOUR]) return [];
    const countHigh = count >= this.#minCount && count > this.#multiplier * (d[row + BASE_COUNT] ?? 0);
    // Volume alone needs a burst of a few transfers: one big transfer is the large-transfer
    // detector's finding, and counting it here too made most of velocity's false alarms.
    const volumeHigh = count >= minVolumeBurst && this.#volumeHigh(row);
    if (!countHigh && !volumeHigh) return [];
    d[row + REPORTED_HOUR] = d[row + HOUR] ?? hour;
    return [this.#finding({ wallet, slot, tx, trigger: countHigh && volumeHigh ? 'count,volume' : countHigh ? 'count' : 'volume' })];
  }

  /** A new wallet's cells, in a slot that may have held another. */
  #start(row: number, hour: number): void {
    if (row + stride > this.#data.length) this.#data = grown(this.#data, Math.max(row + stride, 2 * this.#data.length));
    const d = this.#data;
    d[row + HOUR] = hour;
    d[row + COUNT] = 0;
    d[row + BASE_COUNT] = 0;
    d[row + HOURS] = 0;
    d[row + REPORTED_HOUR] = Number.NaN;
    this.#cents.set(d, row + VOLUME, 0n);
    this.#cents.set(d, row + BASE_VOLUME, 0n);
  }

  #volumeHigh(row: number): boolean {
    const volume = this.#cents.get(this.#data, row + VOLUME);
    return volume >= this.#minVolume && volume * ppm > this.#cents.get(this.#data, row + BASE_VOLUME) * this.#multiplierPpm;
  }

  /** Folds the finished hour and any quiet hours after it into the baseline. */
  #roll(row: number, hour: number): void {
    const d = this.#data;
    const quiet = Math.min(hour - (d[row + HOUR] ?? hour) - 1, maxFoldedGap);
    this.#fold(row, d[row + COUNT] ?? 0);
    this.#cents.set(d, row + VOLUME, 0n);
    // Quiet hours: nothing sent, and the volume cell now holds that nothing.
    for (let i = 0; i < quiet; i += 1) this.#fold(row, 0);
    d[row + HOUR] = hour;
    d[row + COUNT] = 0;
  }

  /** Folds an hour of `count` transfers and the volume cell's cents into the baseline. */
  #fold(row: number, count: number): void {
    const d = this.#data;
    const hours = d[row + HOURS] ?? 0;
    // A plain running mean until it is older than the EWMA's own memory, then the EWMA.
    const a = Math.max(this.#alpha, 1 / (hours + 1));
    const baseCount = d[row + BASE_COUNT] ?? 0;
    d[row + BASE_COUNT] = baseCount + a * (count - baseCount);
    this.#cents.stepTowards(d, { cell: row + BASE_VOLUME, target: row + VOLUME }, Math.round(a * 1e6));
    d[row + HOURS] = hours + 1;
  }

  #finding(input: { wallet: string; slot: number; tx: Transaction; trigger: string }): Finding {
    const { wallet, slot, tx, trigger } = input;
    const d = this.#data;
    const row = slot * stride;
    const hour = d[row + HOUR] ?? 0;
    const count = d[row + COUNT] ?? 0;
    const baseCount = d[row + BASE_COUNT] ?? 0;
    const volume = this.#cents.get(d, row + VOLUME);
    const baseVolume = this.#cents.get(d, row + BASE_VOLUME);
    const walletClass = this.#wallets.classOf(wallet);
    const own = walletClass !== undefined && this.#own.has(walletClass);
    const severity: FindingSeverity = own ? 'High' : 'Medium';
    const hourStart = new Date(hour * hourMs).toISOString();
    const who = walletClass === undefined ? wallet : `${walletClass} wallet ${wallet}`;
    return typologyFinding({
      name: own ? `Outflow spike on ${walletClass} wallet` : 'Transfer velocity spike',
      description:
        `${who} sent ${count} transfers worth ${formatUsd(volume)} in the hour from ${hourStart.slice(11, 16)} UTC, against a usual ` +
        `${baseCount.toFixed(1)} transfers and ${formatUsd(baseVolume)} an hour: more than ${this.#multiplier}× its own baseline. ` +
        (own ? 'If this is not a planned batch, pause withdrawals from the wallet and check signer activity.' : 'Check what drove the burst.'),
      alertId: 'VIGIL-VELOCITY',
      severity,
      type: 'Suspicious',
      detector: this.name,
      entity: wallet,
      addresses: [],
      txHashes: listed(this.#rates.valueAt(slot)),
      at: tx.timestamp,
      stage: own ? 'exploitation' : undefined,
      metadata: {
        trigger,
        count: String(count),
        volumeUsd: centsText(volume),
        baselineCount: baseCount.toFixed(2),
        baselineVolumeUsd: centsText(baseVolume),
        multiplier: String(this.#multiplier),
        minCount: String(this.#minCount),
        minVolumeUsd: centsText(this.#minVolume),
        hourStart,
        ...(walletClass === undefined ? {} : { walletClass }),
      },
    });
  }
}
