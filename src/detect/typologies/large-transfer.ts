import type { Finding, FindingSeverity } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { centsText, formatAsset, formatUnits, formatUsd, usdToCents } from './amounts.js';
import type { PriceBook } from './price-book.js';
import type { TypologyDetector } from './transaction-detector.js';
import { transfersOf } from './transfers.js';
import { typologyFinding } from './typology-finding.js';
import { WalletBook } from './wallet-book.js';

/** A threshold for one asset, one wallet class, or both. */
export interface LargeTransferRule {
  /** Asset symbol (any case); absent: every asset. */
  readonly asset?: string | undefined;
  /** Wallet class of a party to the transfer; absent: parties of any class, or none. */
  readonly walletClass?: string | undefined;
  /** USD, decimal text. */
  readonly thresholdUsd: string;
}

export interface LargeTransferOptions {
  readonly prices: PriceBook;
  readonly wallets?: WalletBook;
  /** USD threshold where no rule applies. Default `'100000'`. */
  readonly thresholdUsd?: string;
  /**
   * Overrides per asset and per wallet class. Default: `cold` $10,000 (cold storage rarely
   * moves, so any sizeable move is news), `hot` $250,000 (hot wallets move large sums all day),
   * `treasury` $1,000,000.
   */
  readonly rules?: readonly LargeTransferRule[];
  /** Classes whose outflows are the operator's own funds leaving: a large one is a possible drain. */
  readonly drainClasses?: readonly string[];
}

export const largeTransferDefaults = {
  thresholdUsd: '100000',
  rules: [
    { walletClass: 'cold', thresholdUsd: '10000' },
    { walletClass: 'hot', thresholdUsd: '250000' },
    { walletClass: 'treasury', thresholdUsd: '1000000' },
  ] as readonly LargeTransferRule[],
  drainClasses: ['hot', 'cold', 'treasury'] as readonly string[],
} as const;

/** A drain of ten times its threshold is an emergency, not a review item. */
const criticalMultiple = 10n;

interface CompiledRule {
  readonly asset: string | undefined;
  readonly walletClass: string | undefined;
  readonly cents: bigint;
  /** Class and asset 3, class 2, asset 1: the most specific matching rule wins. */
  readonly specificity: number;
}

interface Threshold {
  readonly cents: bigint;
  /** Which rule set it, for the finding: `class=hot asset=ETH`, `asset=ETH`, `default`. */
  readonly rule: string;
  readonly walletClass: string | undefined;
}

/**
 * Large transfer: one transaction moving at least a USD threshold. The threshold depends on the
 * asset and on the wallet classes of the parties: each classified party's most specific rule
 * applies (class and asset, then class, then asset, then the default) and the lowest of them
 * wins, so a cold wallet moving funds to a hot one is judged by the cold wallet's threshold.
 * When no party is classified the asset's rule or the default applies.
 *
 * Needs USD: transactions in an asset without a price are skipped. UTXO: the value is what left
 * the inputs' owner (change excluded).
 */
export class LargeTransferDetector implements TypologyDetector {
  readonly name = 'large-transfer';
  readonly #prices: PriceBook;
  readonly #wallets: WalletBook;
  readonly #default: bigint;
  readonly #rules: readonly CompiledRule[];
  readonly #drainClasses: ReadonlySet<string>;
  /** The lowest threshold of the default and every rule: any threshold that applies is at least this. */
  readonly #lowest: bigint;

  constructor(options: LargeTransferOptions) {
    this.#prices = options.prices;
    this.#wallets = options.wallets ?? new WalletBook();
    this.#default = usdToCents(options.thresholdUsd ?? largeTransferDefaults.thresholdUsd);
    this.#rules = (options.rules ?? largeTransferDefaults.rules).map((r) => ({
      asset: r.asset?.toUpperCase(),
      walletClass: r.walletClass,
      cents: usdToCents(r.thresholdUsd),
      specificity: (r.walletClass === undefined ? 0 : 2) + (r.asset === undefined ? 0 : 1),
    }));
    this.#drainClasses = new Set(options.drainClasses ?? largeTransferDefaults.drainClasses);
    this.#lowest = this.#rules.reduce((lowest, r) => (r.cents < lowest ? r.cents : lowest), this.#default);
  }

  /** Stateless: every transaction is judged on its own. */
  stateSize(): number {
    return 0;
  }

  observe(tx: Transaction): Finding[] {
    const transfers = transfersOf(tx);
    const first = transfers[0];
    if (first === undefined) return [];
    let amount = 0n;
    for (const t of transfers) amount += t.amount;
    const cents = this.#prices.usdCents({ asset: tx.asset, amount, decimals: tx.decimals });
    // Below every threshold there is: no need to work out which one applies.
    if (cents === undefined || cents < this.#lowest) return [];
    const from = first.from;
    const recipients = [...new Set(transfers.map((t) => t.to))];
    const threshold = this.#threshold(tx.asset, [from, ...recipients]);
    if (cents < threshold.cents) return [];

    const senderClass = this.#wallets.classOf(from);
    const drain = senderClass !== undefined && this.#drainClasses.has(senderClass);
    const ours = [from, ...recipients].some((a) => this.#wallets.classOf(a) !== undefined);
    // Our own funds leaving is the emergency; a classified wallet involved is worth a look; a
    // large transfer between strangers is context for other findings.
    const severity: FindingSeverity = drain ? (cents >= threshold.cents * criticalMultiple ? 'Critical' : 'High') : ours ? 'Medium' : 'Low';
    const moved = formatAsset({ amount, decimals: tx.decimals, asset: tx.asset });
    const to = recipients.length === 1 ? (recipients[0] ?? '') : `${recipients.length} addresses`;
    const by = threshold.walletClass === undefined ? '' : ` for ${threshold.walletClass} wallets`;
    const metadata: Record<string, string> = {
      amount: formatUnits(amount, tx.decimals),
      asset: tx.asset,
      usdValue: centsText(cents),
      thresholdUsd: centsText(threshold.cents),
      rule: threshold.rule,
      chain: tx.chain,
    };
    if (senderClass !== undefined) metadata.senderClass = senderClass;
    return [
      typologyFinding({
        name: drain ? `Large outflow from ${senderClass} wallet` : 'Large transfer',
        description:
          `${from} sent ${moved} (${formatUsd(cents)}) to ${to}, at or above the ${formatUsd(threshold.cents)} threshold${by}. ` +
          (drain ? 'Confirm the withdrawal was authorised; if not, treat it as a drain.' : 'Confirm it is expected business.'),
        alertId: 'VIGIL-LARGE-TRANSFER',
        severity,
        type: drain ? 'Suspicious' : 'Info',
        detector: this.name,
        entity: from,
        addresses: recipients,
        txHashes: [tx.hash],
        at: tx.timestamp,
        metadata,
        stage: drain ? 'exploitation' : undefined,
      }),
    ];
  }

  #threshold(asset: string, parties: readonly string[]): Threshold {
    const symbol = asset.toUpperCase();
    let best: Threshold | undefined;
    for (const party of parties) {
      const walletClass = this.#wallets.classOf(party);
      if (walletClass === undefined) continue;
      const t = this.#ruleFor(symbol, walletClass);
      if (best === undefined || t.cents < best.cents) best = t;
    }
    return best ?? this.#ruleFor(symbol, undefined);
  }

  #ruleFor(asset: string, walletClass: string | undefined): Threshold {
    let chosen: CompiledRule | undefined;
    for (const r of this.#rules) {
      if (r.asset !== undefined && r.asset !== asset) continue;
      if (r.walletClass !== undefined && r.walletClass !== walletClass) continue;
      if (chosen === undefined || r.specificity > chosen.specificity) chosen = r;
    }
    if (chosen === undefined) return { cents: this.#default, rule: 'default', walletClass: undefined };
    const parts = [chosen.walletClass === undefined ? '' : `class=${chosen.walletClass}`, chosen.asset === undefined ? '' : `asset=${chosen.asset}`];
    return { cents: chosen.cents, rule: parts.filter((p) => p !== '').join(' '), walletClass: chosen.walletClass };
  }
}
