import type { Transaction } from '../../core/transaction.js';
import { type Decimal, parseDecimal, pow10 } from './amounts.js';
import { movedAmount } from './transfers.js';

/** USD prices per asset symbol, as decimal text: `{ ETH: '3150.25', USDC: '1', BTC: '97000' }`. */
export type PriceTable = Readonly<Record<string, string>>;

/** An amount of an asset, as transactions carry it. */
export interface AssetAmount {
  readonly asset: string;
  readonly amount: bigint;
  readonly decimals: number;
}

/**
 * Configured USD prices, and the exact USD value of an amount. Values are bigint cents computed
 * from base units, decimals and the price's own decimal digits, rounded down to the cent: the
 * rounding never pushes a transfer over a threshold it did not reach.
 *
 * Symbols match without regard to case (`eth` is `ETH`): senders spell them both ways and no two
 * assets worth pricing differ only by case. An asset without a price has no USD value, and the
 * detectors that need one skip its transactions (each says so). A price is by symbol, so a fake
 * token that calls itself `USDC` is priced as USDC; pin contracts upstream where that matters.
 */
export class PriceBook {
  readonly #prices = new Map<string, Decimal>();
  /**
   * The last value asked about and its answer. The typologies share one book and most of them
   * price the same transfer in turn; the prices never change, so the answer can be reused.
   */
  #last: (AssetAmount & { readonly cents: bigint | undefined }) | undefined;

  /** Throws a `RangeError` naming the asset when a price is not decimal text. */
  constructor(prices: PriceTable = {}) {
    for (const [asset, text] of Object.entries(prices)) {
      try {
        this.#prices.set(asset.toUpperCase(), parseDecimal(text));
      } catch (error) {
        throw new RangeError(`price of ${asset}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
  }

  has(asset: string): boolean {
    return this.#prices.has(asset.toUpperCase());
  }

  /** The value in USD cents, rounded down; undefined when the asset has no price. */
  usdCents(value: AssetAmount): bigint | undefined {
    const last = this.#last;
    if (last !== undefined && value.amount === last.amount && value.asset === last.asset && value.decimals === last.decimals) return last.cents;
    const price = this.#prices.get(value.asset) ?? this.#prices.get(value.asset.toUpperCase());
    const cents = price === undefined ? undefined : (value.amount * price.units * 100n) / pow10(value.decimals + price.scale);
    this.#last = { asset: value.asset, amount: value.amount, decimals: value.decimals, cents };
    return cents;
  }

  /** What a transaction moved, in USD cents (UTXO change excluded); undefined when unpriced. */
  transactionUsdCents(tx: Transaction): bigint | undefined {
    return this.usdCents({ asset: tx.asset, amount: movedAmount(tx), decimals: tx.decimals });
  }
}
