import type { Transaction } from '../../core/transaction.js';
import { log10DecimalText, log10Units } from './big-log10.js';
import { transferView, type TransferView } from './transfer-view.js';

/** One feature: its name, what it measures, and the range mapped onto [0, 1] (values outside are clamped). */
export interface FeatureDefinition {
  readonly name: string;
  readonly low: number;
  readonly high: number;
  readonly description: string;
}

/**
 * The per-transaction features, in vector order. Amounts go in as logarithms: transfer sizes are
 * heavy-tailed over ten orders of magnitude, and on a linear scale every transfer but the largest
 * would sit at 0. Ranges are wide enough for real traffic; a value past either end is clamped,
 * which still reads as extreme.
 */
export const transactionFeatures: readonly FeatureDefinition[] = [
  {
    name: 'logValue',
    low: -4,
    high: 9,
    description: 'log10 of the value that left the sender: in USD when the asset has a price, else in whole units of the asset; the low end for a zero amount',
  },
  {
    name: 'logFee',
    low: -9,
    high: 1,
    description: "log10 of the fee in whole units of the chain's native asset; the low end for a zero fee",
  },
  { name: 'hourSin', low: -1, high: 1, description: 'sin(2π·t/day), t the UTC time of day: the hour on a circle, so 23:59 sits next to 00:00' },
  { name: 'hourCos', low: -1, high: 1, description: 'cos(2π·t/day), the other coordinate of the same circle' },
  {
    name: 'novelCounterparty',
    low: 0,
    high: 1,
    description: "1 when the receiver is not among the sender's last few distinct counterparties (always for a sender's first transfer), else 0",
  },
  {
    name: 'logGap',
    low: 0,
    high: 8,
    description: "log10(1 + seconds since the sender's previous transfer of this asset); the high end for a first transfer",
  },
  { name: 'logRecipients', low: 0, high: 3, description: 'log10(1 + distinct receiving addresses): 1 on account chains, many for a UTXO batch payout' },
  {
    name: 'valueVsSender',
    low: -8,
    high: 8,
    description: "robust z of the log10 amount against the sender's own median and MAD in this asset; 0 until the sender's baseline is warm",
  },
];

/** What the sender's own history says about this transaction; the detector keeps it per sender. */
export interface SenderContext {
  /** Seconds since the sender's previous transfer of this asset; null for the first. */
  readonly secondsSinceLast: number | null;
  readonly novelCounterparty: boolean;
  /** Robust z of the amount against the sender's baseline; null while the baseline is warming up. */
  readonly robustZ: number | null;
}

export interface FeatureExtractorOptions {
  /**
   * USD prices per asset symbol as decimal text (`{ ETH: '3150.25', USDC: '1' }`), the same table
   * the typologies take; symbols match without regard to case. Unpriced assets are measured in
   * whole units, which mixes scales across assets in the multivariate model: price what you can.
   */
  readonly prices?: Readonly<Record<string, string>>;
  /**
   * Decimals of each chain's native asset, by chain name, for the fee of a token transfer (whose
   * `decimals` are the token's). Default 18 (EVM chains); for native transfers and UTXO chains
   * the transaction's own decimals are used.
   */
  readonly feeDecimals?: Readonly<Record<string, number>>;
}

const dayMs = 86_400_000;

/**
 * Turns a transaction into the numeric feature vector the multivariate detector scores
 * (`transactionFeatures` documents each entry). `extract` gives the features in their natural
 * units; `scale` maps them onto [0, 1] by the documented ranges, which is what Half-Space Trees
 * expect.
 */
export class FeatureExtractor {
  readonly definitions: readonly FeatureDefinition[] = transactionFeatures;
  readonly #log10Price = new Map<string, number>();
  readonly #feeDecimals: Readonly<Record<string, number>>;

  /** Throws a `RangeError` naming the asset when a price is not a positive decimal. */
  constructor(options: FeatureExtractorOptions = {}) {
    for (const [asset, text] of Object.entries(options.prices ?? {})) {
      const log = log10DecimalText(text);
      if (log === undefined) throw new RangeError(`price of ${asset}: ${JSON.stringify(text)} is not a positive decimal such as "3150.25"`);
      this.#log10Price.set(asset.toUpperCase(), log);
    }
    this.#feeDecimals = options.feeDecimals ?? {};
  }

  get dimensions(): number {
    return this.definitions.length;
  }

  /** log10 of the value that left the sender, in USD when priced (see `logValue`); `-Infinity` for zero. */
  logValue(tx: Transaction, view: TransferView = transferView(tx)): number {
    const units = log10Units(view.amount, tx.decimals);
    const price = this.#log10Price.get(tx.asset.toUpperCase());
    return price === undefined ? units : units + price;
  }

  /** The features in their natural units, in `transactionFeatures` order. */
  extract(tx: Transaction, context: SenderContext, out: Float64Array = new Float64Array(this.dimensions)): Float64Array {
    const view = transferView(tx);
    const feeDecimals = tx.kind === 'account' && tx.tokenContract !== null ? (this.#feeDecimals[tx.chain] ?? 18) : tx.decimals;
    const angle = (2 * Math.PI * (((tx.timestamp % dayMs) + dayMs) % dayMs)) / dayMs;
    const gap = context.secondsSinceLast;
    out[0] = floorAt(this.logValue(tx, view), transactionFeatures[0]?.low ?? 0);
    out[1] = floorAt(log10Units(tx.fee, feeDecimals), transactionFeatures[1]?.low ?? 0);
    out[2] = Math.sin(angle);
    out[3] = Math.cos(angle);
    out[4] = context.novelCounterparty ? 1 : 0;
    out[5] = gap === null ? (transactionFeatures[5]?.high ?? 0) : Math.log10(1 + Math.max(0, gap));
    out[6] = Math.log10(1 + view.recipients);
    out[7] = context.robustZ === null || !Number.isFinite(context.robustZ) ? 0 : context.robustZ;
    return out;
  }

  /** Maps natural-unit features onto [0, 1] by each feature's range, clamping outliers to the ends. */
  scale(features: ArrayLike<number>, out: Float64Array = new Float64Array(this.dimensions)): Float64Array {
    for (let i = 0; i < this.definitions.length; i += 1) {
      const def = this.definitions[i];
      if (def === undefined) continue;
      const v = ((features[i] ?? def.low) - def.low) / (def.high - def.low);
      out[i] = v > 0 ? (v < 1 ? v : 1) : 0;
    }
    return out;
  }
}

/** `-Infinity` (a zero amount) and `NaN` become the feature's low end. */
function floorAt(value: number, low: number): number {
  return Number.isFinite(value) ? value : low;
}
