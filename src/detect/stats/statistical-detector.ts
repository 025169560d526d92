import type { Finding, FindingSeverity } from '../../core/finding.js';
import type { Transaction, TransactionStatus } from '../../core/transaction.js';
import { log10Units } from './big-log10.js';
import type { SharedAddressKeys } from '../key-index.js';
import { EntityStateStore } from './entity-state-store.js';
import { Ewma } from './ewma.js';
import { FeatureExtractor, type FeatureExtractorOptions } from './feature-extractor.js';
import { HalfSpaceTrees, type HalfSpaceTreesOptions } from './half-space-trees.js';
import { RecentCounterparties } from './recent-counterparties.js';
import { RobustBaseline, madToSigma } from './robust-baseline.js';
import type { StateSlot } from './state-slot.js';
import { transferView } from './transfer-view.js';
import { formatUnits } from '../typologies/amounts.js';

/** Which side of the median counts as an outlier: any (`both`), or only larger than usual (`high`). */
export type OutlierSide = 'both' | 'high';

export interface StatisticalDetectorOptions extends FeatureExtractorOptions, SharedAddressKeys {
  /** `Finding.detector` and the engine's name for it. Default `stats`. */
  readonly name?: string;
  /** |robust z| at or above which a transfer is an outlier for its sender. Default 5 (see README for the trade-off). */
  readonly robustThreshold?: number;
  /** Transfers of a sender (in an asset) seen before its robust z may raise a finding. Default 20. */
  readonly warmup?: number;
  /** Floor of the robust scale, in log10 units (0.1 ≈ a factor of 1.26). Default 0.1. */
  readonly minScale?: number;
  /** Default `both`: an unusually small transfer from a large sender is odd too. */
  readonly side?: OutlierSide;
  /**
   * Half-Space Trees score at or above which a transfer is an outlier. Default 0.9: the transfer
   * falls in a region about 9 times sparser than the typical transfer's (see `HalfSpaceTrees`), at
   * the default depth of 8. Scores spread with depth: re-tune this with `hst.depth`.
   */
  readonly hstThreshold?: number;
  /** Half-Space Trees parameters (dimensions come from the feature extractor). */
  readonly hst?: Omit<HalfSpaceTreesOptions, 'dimensions'>;
  /** Half-life of the per-sender EWMA of log10 amounts, in event time. Default 7 days. */
  readonly halfLifeMs?: number;
  /** Most (sender, asset) baselines held at once; least recently used go first. Default 250,000. */
  readonly maxEntries?: number;
  /** A baseline not updated for this long (event time) is dropped. Default 30 days. */
  readonly ttlMs?: number;
  /** Transactions with these statuses are observed. Default `['success']`: pending ones would count twice. */
  readonly statuses?: readonly TransactionStatus[];
}

/** Scores of one observed transfer, for callers that want more than findings (benchmarks, tuning). */
export interface TransferScores {
  /** log10 of the amount in whole units of the asset. */
  readonly log10Amount: number;
  /** Transfers of this sender and asset seen before this one. */
  readonly priorCount: number;
  /** Robust z against the sender's baseline before this transfer; NaN before its first. */
  readonly robustZ: number;
  readonly median: number;
  readonly mad: number;
  /** Half-Space Trees anomaly score in (0, 1); 0 until it has seen two windows. */
  readonly hstScore: number;
  readonly ewmaMean: number;
  readonly ewmaStd: number;
}

/* Per (chain, asset, sender) slot: [last time, robust baseline (22), EWMA (4), recent counterparties (9)]. */
const recent = new RecentCounterparties(8);
const LAST = 0;
const BASELINE = 1;
const EWMA = BASELINE + RobustBaseline.width;
const RECENT = EWMA + Ewma.width;
/** Numbers of state per (chain, asset, sender). */
export const statisticalStateWidth = RECENT + recent.width;

/**
 * Raises `VIGIL-STAT-OUTLIER` when a transfer is unusual for its sender, by either of two tests:
 *
 * - *robust z*: |log10 amount − median| / max(1.4826·MAD, minScale) against the sender's own
 *   baseline in that asset, once it has `warmup` transfers. Logarithms, because amounts are
 *   heavy-tailed and "ten times the usual" is the question; the median and MAD, because one
 *   huge transfer must not teach the baseline to expect the next.
 * - *Half-Space Trees*: one model over all transfers' feature vectors (value, fee, time of day,
 *   counterparty novelty, gap since the sender's last transfer, recipients, amount against the
 *   sender's own baseline), which catches
 *   combinations no single baseline sees: a first-ever counterparty at 4 a.m. with ten times the
 *   usual fee.
 *
 * Baselines are per (chain, asset, sender) so units never mix; they live in an
 * `EntityStateStore` with TTL and LRU eviction, 36 numbers each. Each transfer is scored against
 * what came before it and then learned (test-then-train), so a replay gives the same findings.
 * Zero-amount transactions (contract calls, approvals) are not transfers and are skipped.
 */
export class StatisticalDetector {
  readonly name: string;
  readonly #features: FeatureExtractor;
  readonly #hst: HalfSpaceTrees;
  readonly #store: EntityStateStore;
  readonly #baseline = new RobustBaseline();
  readonly #ewma: Ewma;
  readonly #robustThreshold: number;
  readonly #warmup: number;
  readonly #minScale: number;
  readonly #side: OutlierSide;
  readonly #hstThreshold: number;
  readonly #statuses: ReadonlySet<TransactionStatus>;
  /** One slot per estimator, pointed at the current entity's numbers (see `StateSlot`). */
  readonly #baselineSlot: StateSlot = { data: new Float64Array(0), offset: 0 };
  readonly #ewmaSlot: StateSlot = { data: new Float64Array(0), offset: 0 };
  readonly #recentSlot: StateSlot = { data: new Float64Array(0), offset: 0 };
  readonly #raw: Float64Array;
  readonly #scaled: Float64Array;
  #lastScores: TransferScores | undefined;
  /** The last transaction's chain and asset, and their group in the store (`chain:ASSET`). */
  #lastChain = '';
  #lastAsset = '';
  #lastGroup = '';

  constructor(options: StatisticalDetectorOptions = {}) {
    this.name = options.name ?? 'stats';
    this.#features = new FeatureExtractor(options);
    this.#hst = new HalfSpaceTrees({ ...options.hst, dimensions: this.#features.dimensions });
    this.#store = new EntityStateStore({
      width: statisticalStateWidth,
      ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      keys: options.addresses,
    });
    this.#ewma = new Ewma({ halfLifeMs: options.halfLifeMs ?? 7 * 24 * 3_600_000 });
    this.#robustThreshold = options.robustThreshold ?? 5;
    this.#warmup = options.warmup ?? 20;
    this.#minScale = options.minScale ?? 0.1;
    this.#side = options.side ?? 'both';
    this.#hstThreshold = options.hstThreshold ?? 0.9;
    this.#statuses = new Set(options.statuses ?? ['success']);
    this.#raw = new Float64Array(this.#features.dimensions);
    this.#scaled = new Float64Array(this.#features.dimensions);
  }

  /** Baselines held now (for memory tests and the benchmark). */
  stateSize(): number {
    return this.#store.size;
  }

  /** The scores of the last transfer observed; undefined if the last transaction was skipped. */
  lastScores(): TransferScores | undefined {
    return this.#lastScores;
  }

  observe(tx: Transaction): Finding[] {
    this.#lastScores = undefined;
    if (!this.#statuses.has(tx.status)) return [];
    const view = transferView(tx);
    if (view.amount <= 0n || view.sender === '') return [];

    const offset = this.#store.acquire(view.sender, tx.timestamp, this.#group(tx));
    const data = this.#store.data;
    const slot = point(this.#baselineSlot, data, offset + BASELINE);
    const x = log10Units(view.amount, tx.decimals);
    const priorCount = this.#baseline.count(slot);
    const median = this.#baseline.median(slot);
    const mad = this.#baseline.mad(slot);
    const robustZ = this.#baseline.zScore(slot, x, this.#minScale);
    this.#baseline.observe(slot, x);

    const ewma = point(this.#ewmaSlot, data, offset + EWMA);
    const ewmaMean = this.#ewma.mean(ewma);
    const ewmaStd = Math.sqrt(this.#ewma.variance(ewma));
    this.#ewma.observe(ewma, { value: x, time: tx.timestamp });

    const last = data[offset + LAST] ?? 0;
    const novel = view.counterparty === null ? false : !recent.seenThenAdd(point(this.#recentSlot, data, offset + RECENT), view.counterparty);
    const secondsSinceLast = priorCount === 0 ? null : (tx.timestamp - last) / 1000;
    if (priorCount === 0 || tx.timestamp > last) data[offset + LAST] = tx.timestamp;

    this.#features.extract(tx, { secondsSinceLast, novelCounterparty: novel, robustZ: priorCount >= this.#warmup ? robustZ : null }, this.#raw);
    this.#features.scale(this.#raw, this.#scaled);
    const hstScore = this.#hst.scoreThenUpdate(this.#scaled);

    const scores: TransferScores = { log10Amount: x, priorCount, robustZ, median, mad, hstScore, ewmaMean, ewmaStd };
    this.#lastScores = scores;

    const reasons: string[] = [];
    if (priorCount >= this.#warmup && this.#beyond(robustZ)) reasons.push('robust-z');
    if (this.#hst.ready && hstScore >= this.#hstThreshold) reasons.push('half-space-trees');
    if (reasons.length === 0) return [];
    return [this.#finding({ tx, sender: view.sender, counterparty: view.counterparty, amount: view.amount, scores, reasons })];
  }

  /** The store's group of `tx`'s baselines, `chain:ASSET`, built once per change of chain or asset. */
  #group(tx: Transaction): string {
    if (tx.chain !== this.#lastChain || tx.asset !== this.#lastAsset) {
      this.#lastChain = tx.chain;
      this.#lastAsset = tx.asset;
      this.#lastGroup = `${tx.chain}:${tx.asset.toUpperCase()}`;
    }
    return this.#lastGroup;
  }

  #beyond(z: number): boolean {
    switch (this.#side) {
      case 'both':
        return Math.abs(z) >= this.#robustThreshold;
      case 'high':
        return z >= this.#robustThreshold;
    }
  }

  #finding(f: {
    readonly tx: Transaction;
    readonly sender: string;
    readonly counterparty: string | null;
    readonly amount: bigint;
    readonly scores: TransferScores;
    readonly reasons: readonly string[];
  }): Finding {
    const { tx, scores } = f;
    const amount = `${formatUnits(f.amount, tx.decimals)} ${tx.asset}`;
    const severity: FindingSeverity = f.reasons.length > 1 ? 'High' : 'Medium';
    const because: string[] = [];
    if (f.reasons.includes('robust-z')) {
      because.push(`${Math.abs(scores.robustZ).toFixed(1)} robust deviations ${scores.robustZ > 0 ? 'above' : 'below'} its median of ${scores.priorCount} transfers`);
    }
    if (f.reasons.includes('half-space-trees')) because.push(`multivariate anomaly score ${scores.hstScore.toFixed(3)}`);
    const metadata: Record<string, string> = {
      chain: tx.chain,
      asset: tx.asset,
      amount: formatUnits(f.amount, tx.decimals),
      log10Amount: fixed(scores.log10Amount),
      reasons: f.reasons.join(','),
      robustZ: fixed(scores.robustZ),
      robustThreshold: String(this.#robustThreshold),
      median: fixed(scores.median),
      mad: fixed(scores.mad),
      robustScale: fixed(Math.max(madToSigma * scores.mad, this.#minScale)),
      baselineCount: String(scores.priorCount),
      hstScore: fixed(scores.hstScore),
      hstThreshold: String(this.#hstThreshold),
      ewmaMean: fixed(scores.ewmaMean),
      ewmaStd: fixed(scores.ewmaStd),
    };
    if (f.counterparty !== null) metadata.counterparty = f.counterparty;
    return {
      name: 'Statistical outlier',
      description: `${amount} from ${f.sender} is unusual for this sender: ${because.join('; ')}`,
      alertId: 'VIGIL-STAT-OUTLIER',
      severity,
      type: 'Suspicious',
      metadata,
      addresses: f.counterparty === null || f.counterparty === f.sender ? [f.sender] : [f.sender, f.counterparty],
      labels: [],
      detector: this.name,
      entity: f.sender,
      txHashes: [tx.hash],
      at: tx.timestamp,
    };
  }
}

function point(slot: StateSlot, data: Float64Array, offset: number): StateSlot {
  slot.data = data;
  slot.offset = offset;
  return slot;
}

/** Metadata numbers: four decimals, and `NaN` spelled out for "not yet known". */
function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}
