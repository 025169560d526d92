import { type Decimal, parseDecimal, toBaseUnits, usdToCents } from './amounts.js';
import type { AssetAmount, PriceBook } from './price-book.js';

export interface DustPolicyOptions {
  readonly prices: PriceBook;
  /** Largest dust amount per asset symbol, in whole units as decimal text: `{ BTC: '0.00001' }`. */
  readonly thresholds?: Readonly<Record<string, string>>;
  /** For priced assets without a threshold of their own: dust is worth at most this (USD). */
  readonly maxUsd?: string;
}

export const dustPolicyDefaults = {
  thresholds: {} as Readonly<Record<string, string>>,
  maxUsd: '1',
} as const;

/**
 * Says whether an amount is dust: at most the asset's configured threshold, or, for a priced
 * asset without one, worth at most `maxUsd`. Zero is always dust. An unpriced asset without a
 * threshold cannot be judged (undefined), and the dust typologies pass over it rather than
 * guess: a token's base units say nothing about its worth.
 */
export class DustPolicy {
  readonly #prices: PriceBook;
  readonly #thresholds = new Map<string, Decimal>();
  /** Threshold in base units per `ASSET:decimals`; bounded by the configured assets × 37 decimals. */
  readonly #baseUnits = new Map<string, bigint>();
  readonly #maxUsdCents: bigint;
  /** The last amount judged and the verdict. */
  #last: (AssetAmount & { readonly dust: boolean | undefined }) | undefined;

  constructor(options: DustPolicyOptions) {
    this.#prices = options.prices;
    for (const [asset, text] of Object.entries(options.thresholds ?? dustPolicyDefaults.thresholds)) {
      this.#thresholds.set(asset.toUpperCase(), parseDecimal(text));
    }
    this.#maxUsdCents = usdToCents(options.maxUsd ?? dustPolicyDefaults.maxUsd);
  }

  isDust(value: AssetAmount): boolean | undefined {
    if (value.amount === 0n) return true;
    // Address poisoning and dusting ask about the same transfer in turn; the policy never changes.
    const last = this.#last;
    if (last !== undefined && value.amount === last.amount && value.asset === last.asset && value.decimals === last.decimals) return last.dust;
    const dust = this.#judge(value);
    this.#last = { asset: value.asset, amount: value.amount, decimals: value.decimals, dust };
    return dust;
  }

  #judge(value: AssetAmount): boolean | undefined {
    const asset = value.asset.toUpperCase();
    const threshold = this.#thresholds.get(asset);
    if (threshold !== undefined) {
      const key = `${asset}:${value.decimals}`;
      let units = this.#baseUnits.get(key);
      if (units === undefined) {
        units = toBaseUnits(threshold, value.decimals);
        this.#baseUnits.set(key, units);
      }
      return value.amount <= units;
    }
    const cents = this.#prices.usdCents(value);
    return cents === undefined ? undefined : cents <= this.#maxUsdCents;
  }
}
