import type { Finding } from '../../core/finding.js';
import type { AccountTransaction, Transaction, UtxoTransaction } from '../../core/transaction.js';
import { formatAsset, formatUnits } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { primaryInput, sendersOf, settled } from './transfers.js';
import { elapsedText, maxFindingAddresses, typologyFinding } from './typology-finding.js';

export interface PeelChainOptions extends SharedAddressKeys {
  /** Largest peel, in percent of the hop's input. Default 10. */
  readonly maxPeelPct?: number;
  /** Smallest forwarded remainder, in percent of the hop's input (the rest is peel and fee). Default 80. */
  readonly minForwardPct?: number;
  /** Hops that make a chain worth reporting. Default 3. */
  readonly minHops?: number;
  /** Longest wait between one hop and the next. Default 24 hours. */
  readonly hopWindowMs?: number;
  /** Chain heads and account holdings tracked at once, each. Default 100,000. */
  readonly maxEntities?: number;
}

export const peelChainDefaults = {
  maxPeelPct: 10,
  minForwardPct: 80,
  minHops: 3,
  hopWindowMs: 24 * 60 * 60 * 1000,
  maxEntities: 100_000,
} as const;

interface Chain {
  readonly asset: string;
  readonly origin: string;
  readonly startedAt: number;
  hops: number;
  peeled: bigint;
  /** Where the remainder sits now. */
  head: string;
  /** Hop addresses from the origin on, capped. */
  readonly path: string[];
  readonly peels: string[];
  readonly hashes: string[];
  reported: boolean;
}

interface Leg {
  readonly to: string;
  readonly amount: bigint;
  readonly hash: string;
}

/** An account that received funds and may be about to peel them. */
interface Holding {
  readonly asset: string;
  readonly received: bigint;
  readonly from: string;
  readonly hash: string;
  chain: Chain | undefined;
  forward: Leg | undefined;
  peel: Leg | undefined;
}

/**
 * Peel chain: funds passed along a line of fresh addresses, each hop splitting off a small peel
 * (cashed out or paid away) and forwarding the large remainder, so the trail gets longer and the
 * balance at each step smaller. Reported once per chain, when it reaches `minHops`; the finding
 * is about the chain's first address.
 *
 * UTXO: a hop is a transaction with exactly two outputs, neither back to an input address, one
 * at most `maxPeelPct` of the inputs and one at least `minForwardPct`; the next hop spends the
 * large output's address. Account chains: a hop is an address that received X and then sent at
 * least `minForwardPct` of X onwards and a peel of at most `maxPeelPct` of X to another address
 * (in either order, the two together no more than X); the next hop is the forward's recipient.
 * "Fresh" is judged as far as a bounded memory can: the forward must not go back to the sender or
 * to an input. Works in base units, priced or not.
 */
export class PeelChainDetector implements TypologyDetector {
  readonly name = 'peel-chain';
  readonly #maxPeelPct: number;
  readonly #maxPeelBp: bigint;
  readonly #minForwardPct: number;
  readonly #minForwardBp: bigint;
  readonly #minHops: number;
  readonly #hopWindowMs: number;
  /**
   * UTXO chains by the address holding the remainder, and account-chain candidates by receiving
   * address. Keyed by the bare address (a composed key would be a new string to hash on every
   * lookup); the asset is checked on the value, so an address follows one asset at a time.
   */
  readonly #heads: BoundedMap<string, Chain>;
  readonly #holdings: BoundedMap<string, Holding>;

  constructor(options: PeelChainOptions = {}) {
    this.#maxPeelPct = options.maxPeelPct ?? peelChainDefaults.maxPeelPct;
    this.#maxPeelBp = BigInt(Math.round(this.#maxPeelPct * 100));
    this.#minForwardPct = options.minForwardPct ?? peelChainDefaults.minForwardPct;
    this.#minForwardBp = BigInt(Math.round(this.#minForwardPct * 100));
    this.#minHops = options.minHops ?? peelChainDefaults.minHops;
    this.#hopWindowMs = options.hopWindowMs ?? peelChainDefaults.hopWindowMs;
    const bounds = { maxEntries: options.maxEntities ?? peelChainDefaults.maxEntities, ttlMs: this.#hopWindowMs, keys: options.addresses };
    this.#heads = new BoundedMap(bounds);
    this.#holdings = new BoundedMap(bounds);
  }

  stateSize(): number {
    return this.#heads.size + this.#holdings.size;
  }

  observe(tx: Transaction): Finding[] {
    if (!settled(tx)) return [];
    return tx.kind === 'utxo' ? this.#utxo(tx) : this.#account(tx);
  }

  #utxo(tx: UtxoTransaction): Finding[] {
    const at = tx.timestamp;
    const inputs = sendersOf(tx);
    let chain: Chain | undefined;
    for (const address of inputs) {
      const head = this.#heads.get(address, at);
      if (head !== undefined && head.asset === tx.asset) {
        // Spending the head ends this link whether or not it is another hop.
        this.#heads.delete(address);
        chain = head;
        break;
      }
    }
    const [a, b] = tx.outputs;
    if (tx.outputs.length !== 2 || a === undefined || b === undefined) return [];
    const peel = a.amount <= b.amount ? a : b;
    const forward = peel === a ? b : a;
    const peelTo = peel.address.toLowerCase();
    const forwardTo = forward.address.toLowerCase();
    if (peel.amount === 0n || peel.amount >= forward.amount || peelTo === forwardTo || inputs.includes(peelTo) || inputs.includes(forwardTo)) return [];
    let input = 0n;
    for (const i of tx.inputs) input += i.amount;
    if (!this.#isPeel(peel.amount, input) || !this.#isForward(forward.amount, input)) return [];

    chain ??= newChain({ asset: tx.asset, origin: primaryInput(tx) ?? inputs[0] ?? '', at });
    extend(chain, { peel: { to: peelTo, amount: peel.amount, hash: tx.hash }, forward: { to: forwardTo, amount: forward.amount, hash: tx.hash } });
    this.#heads.set(forwardTo, chain, at);
    return this.#report(chain, tx);
  }

  #account(tx: AccountTransaction): Finding[] {
    if (tx.to === null || tx.amount === 0n) return [];
    const from = tx.from.toLowerCase();
    const to = tx.to.toLowerCase();
    if (from === to) return [];
    const at = tx.timestamp;
    const v = tx.amount;

    // The recipient may be the next hop. A holding already half-way through a hop is kept: an
    // unrelated deposit must not erase a chain in progress.
    const existing = this.#holdings.get(to, at);
    if (existing === undefined || (existing.forward === undefined && existing.peel === undefined)) {
      this.#holdings.set(to, { asset: tx.asset, received: v, from, hash: tx.hash, chain: undefined, forward: undefined, peel: undefined }, at);
    }

    const holding = this.#holdings.get(from, at);
    if (holding === undefined || holding.asset !== tx.asset) return [];
    const leg: Leg = { to, amount: v, hash: tx.hash };
    if (holding.forward === undefined && v <= holding.received && to !== holding.from && this.#isForward(v, holding.received)) {
      holding.forward = leg;
    } else if (holding.peel === undefined && this.#isPeel(v, holding.received)) {
      holding.peel = leg;
    } else {
      this.#holdings.delete(from);
      return [];
    }
    const { forward, peel } = holding;
    if (forward === undefined || peel === undefined) {
      this.#holdings.set(from, holding, at);
      return [];
    }
    this.#holdings.delete(from);
    if (forward.to === peel.to || forward.amount + peel.amount > holding.received) return [];

    const chain = holding.chain ?? newChain({ asset: tx.asset, origin: from, at });
    extend(chain, { peel, forward });
    const next = this.#holdings.get(forward.to, at);
    if (next !== undefined && next.hash === forward.hash) next.chain = chain;
    return this.#report(chain, tx);
  }

  #isPeel(amount: bigint, input: bigint): boolean {
    return amount > 0n && amount * 10_000n <= input * this.#maxPeelBp;
  }

  #isForward(amount: bigint, input: bigint): boolean {
    return amount * 10_000n >= input * this.#minForwardBp;
  }

  #report(chain: Chain, tx: Transaction): Finding[] {
    if (chain.hops < this.#minHops || chain.reported) return [];
    chain.reported = true;
    const peeled = formatAsset({ amount: chain.peeled, decimals: tx.decimals, asset: tx.asset });
    return [
      typologyFinding({
        name: 'Peel chain',
        description:
          `Funds from ${chain.origin} went through ${chain.hops} peel hops in ${elapsedText(tx.timestamp - chain.startedAt)}: each hop split off at most ${this.#maxPeelPct}% ` +
          `(${peeled} peeled off in all) and forwarded the rest to a fresh address; the remainder is now at ${chain.head}. ` +
          'Peel chains launder by cashing out small amounts along the way; trace the peeled outputs to the services that received them.',
        alertId: 'VIGIL-PEEL-CHAIN',
        severity: 'High',
        type: 'Suspicious',
        detector: this.name,
        entity: chain.origin,
        addresses: [...chain.path, ...chain.peels],
        txHashes: chain.hashes,
        at: tx.timestamp,
        stage: 'laundering',
        metadata: {
          hops: String(chain.hops),
          asset: tx.asset,
          peeled: formatUnits(chain.peeled, tx.decimals),
          head: chain.head,
          minHops: String(this.#minHops),
          maxPeelPct: String(this.#maxPeelPct),
          minForwardPct: String(this.#minForwardPct),
          hopWindowMs: String(this.#hopWindowMs),
          model: tx.kind,
          chain: tx.chain,
        },
      }),
    ];
  }
}

function newChain(input: { asset: string; origin: string; at: number }): Chain {
  const { asset, origin, at } = input;
  return { asset, origin, startedAt: at, hops: 0, peeled: 0n, head: origin, path: [origin], peels: [], hashes: [], reported: false };
}

function extend(chain: Chain, hop: { peel: Leg; forward: Leg }): void {
  chain.hops += 1;
  chain.peeled += hop.peel.amount;
  chain.head = hop.forward.to;
  // A chain can run to thousands of hops; the finding shows the first ones and counts the rest.
  if (chain.path.length < maxFindingAddresses) chain.path.push(hop.forward.to);
  if (chain.peels.length < maxFindingAddresses) chain.peels.push(hop.peel.to);
  for (const h of [hop.peel.hash, hop.forward.hash]) if (chain.hashes.length < maxFindingAddresses && !chain.hashes.includes(h)) chain.hashes.push(h);
}
