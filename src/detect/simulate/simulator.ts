import type { AccountTransaction, Transaction, UtxoTransaction } from '../../core/transaction.js';
import { Random } from './random.js';

/**
 * A labelled transaction generator: realistic background traffic (many wallets, heavy-tailed
 * amounts, a daily rhythm, exchange hot wallets paying out all day, deposit addresses swept to
 * the hot wallets) with typologies injected into it, each transaction carrying its ground truth.
 * The background deliberately contains what fools naive detectors: hot wallets fan out,
 * deposit sweeps pass funds straight through, payments split change like a peel.
 */

/** The typologies the generator can inject; the names match the detectors'. */
export const typologies = [
  'large-transfer',
  'structuring',
  'fan-out',
  'fan-in',
  'pass-through',
  'peel-chain',
  'mixer-exposure',
  'address-poisoning',
  'dusting',
  'velocity',
] as const;
export type Typology = (typeof typologies)[number];

export const scenarios = ['mixed', 'background', 'exploit', ...typologies] as const;
export type Scenario = (typeof scenarios)[number];

export interface GroundTruth {
  readonly typology: Typology;
  /** Which injected instance; all transactions of one pattern share it. */
  readonly instance: number;
}

export interface LabelledTransaction {
  readonly tx: Transaction;
  readonly label: GroundTruth | null;
}

/** The world the traffic happens in; detectors are configured from it. */
export interface World {
  /** USD price per whole unit, as decimal strings. */
  readonly prices: Readonly<Record<string, string>>;
  /** Address → wallet class (`hot`, `deposit`, `treasury`). */
  readonly walletClasses: Readonly<Record<string, string>>;
  /** Our own wallets, watched for poisoning and exposure. */
  readonly watched: readonly string[];
  readonly mixers: readonly string[];
  readonly sanctioned: readonly string[];
}

export interface SimulationOptions {
  readonly scenario: Scenario;
  readonly count: number;
  readonly seed: number;
  /** Start of the simulated period (ms). */
  readonly start?: number;
  /** Mean time between background transactions (ms). */
  readonly meanIntervalMs?: number;
  /** Background transactions per injected instance, on average. */
  readonly injectEvery?: number;
  /**
   * Share of customer transfers and withdrawals that involve a never-seen address (0..1). Real
   * chains are full of one-time addresses; the benchmark turns this up to stress memory.
   */
  readonly freshShare?: number;
}

const decimals: Readonly<Record<string, number>> = { ETH: 18, USDC: 6, BTC: 8 };
const priceCents: Readonly<Record<string, bigint>> = { ETH: 315_000n, USDC: 100n, BTC: 9_700_000n };
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** How long each injected pattern takes from first to last transaction, at most. */
const patternSpanMs: Readonly<Record<Typology, number>> = {
  'large-transfer': 0,
  structuring: 6 * HOUR,
  'fan-out': HOUR,
  'fan-in': HOUR,
  'pass-through': 20 * MINUTE,
  'peel-chain': 5 * HOUR,
  'mixer-exposure': HOUR,
  'address-poisoning': 10 * MINUTE,
  dusting: 0,
  velocity: 28 * HOUR,
};

/** Base units of `asset` worth `usd` dollars, computed in integer cents. */
export function unitsForUsd(usd: number, asset: string): bigint {
  const cents = BigInt(Math.max(1, Math.round(usd * 100)));
  return (cents * 10n ** BigInt(decimals[asset] ?? 18)) / (priceCents[asset] ?? 100n);
}

/** A min-heap by timestamp of injected transactions waiting for their moment. */
class Pending {
  readonly #heap: LabelledTransaction[] = [];
  get size(): number {
    return this.#heap.length;
  }
  peek(): LabelledTransaction | undefined {
    return this.#heap[0];
  }
  push(item: LabelledTransaction): void {
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.tx.timestamp <= h[i]!.tx.timestamp) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }
  pop(): LabelledTransaction | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.tx.timestamp < h[m]!.tx.timestamp) m = l;
        if (r < h.length && h[r]!.tx.timestamp < h[m]!.tx.timestamp) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** Creates the world for a seed: the same seed, the same wallets. */
export function createWorld(seed: number, walletCount = 5_000): World & { customers: string[]; deposits: string[]; hot: string[]; btc: string[]; counterpartiesOfWatched: string[] } {
  const random = new Random(seed ^ 0x5eed);
  const hot = Array.from({ length: 4 }, () => random.address());
  const treasury = Array.from({ length: 2 }, () => random.address());
  const deposits = Array.from({ length: Math.max(50, Math.floor(walletCount / 10)) }, () => random.address());
  const customers = Array.from({ length: walletCount }, () => random.address());
  const btc = Array.from({ length: Math.max(100, Math.floor(walletCount / 5)) }, () => random.bitcoinAddress());
  const mixers = Array.from({ length: 3 }, () => random.address());
  const sanctioned = Array.from({ length: 5 }, () => random.address());
  const walletClasses: Record<string, string> = {};
  for (const a of hot) walletClasses[a] = 'hot';
  for (const a of treasury) walletClasses[a] = 'treasury';
  for (const a of deposits) walletClasses[a] = 'deposit';
  return {
    prices: { ETH: '3150', USDC: '1', BTC: '97000' },
    walletClasses,
    watched: [...hot, ...treasury],
    mixers,
    sanctioned,
    customers,
    deposits,
    hot,
    btc,
    counterpartiesOfWatched: customers.slice(0, 200),
  };
}

/**
 * Generates `count` transactions in timestamp order (exactly `count`), lazily: a million
 * transactions cost the memory of the world and of the patterns in flight, not of the stream.
 */
export function* simulateTransactions(options: SimulationOptions): Generator<LabelledTransaction> {
  const random = new Random(options.seed);
  const world = createWorld(options.seed, worldSize(options.count));
  const meanInterval = options.meanIntervalMs ?? 2_000;
  const injectEvery = options.injectEvery ?? 150;
  const pending = new Pending();
  const inject = injector({ random, world, pending });
  let now = options.start ?? Date.parse('2026-01-01T00:00:00.000Z');
  let emitted = 0;
  let instance = 0;
  let block = 20_000_000;

  // The exploit scenario is one attack in four stages, spread over the first days.
  if (options.scenario === 'exploit') inject.exploit({ at: now + HOUR, instance: ++instance });

  let nextBackground = now;
  // Where the stream will roughly end; the daily rhythm averages out, 0.8 leaves a margin.
  const expectedEnd = now + options.count * meanInterval * 0.8;
  while (emitted < options.count) {
    // Injected transactions due before the next background one go first: the stream stays in order.
    const due = pending.peek();
    if (due !== undefined && due.tx.timestamp <= nextBackground) {
      pending.pop();
      emitted += 1;
      yield due;
      continue;
    }
    now = nextBackground;
    block += random.chance(0.1) ? 1 : 0;
    const typology = chooseInjection(options.scenario, random, injectEvery);
    // Only patterns that can finish before the stream ends: a half-injected pattern is not ground truth.
    if (typology !== undefined && pending.size < 10_000 && now + patternSpanMs[typology] < expectedEnd) {
      inject.typology(typology, { at: now + 1, instance: ++instance });
    }
    emitted += 1;
    yield { tx: background({ random, world, now, block, fresh: options.freshShare ?? 0 }), label: null };
    // A daily rhythm: twice as busy in the afternoon (UTC) as at night.
    const hour = (now / HOUR) % 24;
    nextBackground = now + Math.max(1, Math.round(random.exponential(meanInterval) / (1 + 0.5 * Math.sin(((hour - 8) / 24) * 2 * Math.PI))));
  }
}

function chooseInjection(scenario: Scenario, random: Random, every: number): Typology | undefined {
  if (scenario === 'background' || scenario === 'exploit' || !random.chance(1 / every)) return undefined;
  return scenario === 'mixed' ? random.pick(typologies) : scenario;
}

type SimWorld = ReturnType<typeof createWorld>;

function account(fields: Omit<AccountTransaction, 'kind' | 'chain' | 'decimals' | 'fee' | 'status' | 'nonce' | 'tokenContract' | 'logs' | 'block'> & { block?: number }): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    decimals: decimals[fields.asset] ?? 18,
    fee: 420_000_000_000_000n,
    status: 'success',
    nonce: null,
    tokenContract: fields.asset === 'USDC' ? '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' : null,
    logs: [],
    block: fields.block ?? Math.floor(fields.timestamp / 12_000),
    ...fields,
  };
}

function utxo(fields: { hash: string; timestamp: number; inputs: UtxoTransaction['inputs']; outputs: UtxoTransaction['outputs'] }): UtxoTransaction {
  return { kind: 'utxo', chain: 'bitcoin', asset: 'BTC', decimals: 8, fee: 2_000n, status: 'success', block: Math.floor(fields.timestamp / 600_000), ...fields };
}

/** One ordinary transaction. */
function background(ctx: { random: Random; world: SimWorld; now: number; block: number; fresh: number }): Transaction {
  const { random, world, now } = ctx;
  const customer = () => (ctx.fresh > 0 && random.chance(ctx.fresh) ? random.address() : random.pick(world.customers));
  const roll = random.next();
  const asset = random.chance(0.6) ? 'ETH' : 'USDC';
  if (roll < 0.35) {
    // Customer to customer.
    return account({ hash: random.hash(), from: customer(), to: customer(), asset, amount: unitsForUsd(random.logNormal(150, 1.4), asset), timestamp: now });
  }
  if (roll < 0.6) {
    // Exchange withdrawals: hot wallets pay customers all day long.
    return account({ hash: random.hash(), from: random.pick(world.hot), to: customer(), asset, amount: unitsForUsd(random.logNormal(400, 1.3), asset), timestamp: now });
  }
  if (roll < 0.72) {
    // Customer deposits into their deposit address.
    return account({ hash: random.hash(), from: random.pick(world.customers), to: random.pick(world.deposits), asset, amount: unitsForUsd(random.logNormal(500, 1.2), asset), timestamp: now });
  }
  if (roll < 0.8) {
    // Deposit sweeps: all of a deposit address forwarded to a hot wallet.
    return account({ hash: random.hash(), from: random.pick(world.deposits), to: random.pick(world.hot), asset, amount: unitsForUsd(random.logNormal(2_000, 1.0), asset), timestamp: now });
  }
  // Bitcoin payments with change back to the payer.
  const payer = random.pick(world.btc);
  const total = unitsForUsd(random.logNormal(300, 1.4), 'BTC') + 10_000n;
  const pay = (total * BigInt(20 + random.int(60))) / 100n;
  return utxo({
    hash: random.hash(),
    timestamp: now,
    inputs: [{ address: payer, amount: total }],
    outputs: [
      { address: random.pick(world.btc), amount: pay },
      { address: payer, amount: total - pay - 2_000n },
    ],
  });
}

/** Schedules the transactions of one injected pattern. */
function injector(ctx: { random: Random; world: SimWorld; pending: Pending }) {
  const { random, world, pending } = ctx;
  const add = (tx: Transaction, typology: Typology, instance: number) => pending.push({ tx, label: { typology, instance } });
  const eth = (from: string, to: string, value: { usd: number; at: number }): AccountTransaction =>
    account({ hash: random.hash(), from, to, asset: 'ETH', amount: unitsForUsd(value.usd, 'ETH'), timestamp: value.at });

  const patterns: Record<Typology, (at: number, instance: number) => void> = {
    'large-transfer': (at, instance) => add(eth(random.pick(world.customers), random.address(), { usd: 1_000_000 + random.int(4_000_000), at }), 'large-transfer', instance),
    structuring: (at, instance) => {
      const from = random.pick(world.customers);
      for (let i = 0; i < 4; i++) {
        const tx = account({ hash: random.hash(), from, to: random.address(), asset: 'USDC', amount: unitsForUsd(9_100 + random.int(850), 'USDC'), timestamp: at + i * (30 + random.int(60)) * MINUTE });
        add(tx, 'structuring', instance);
      }
    },
    'fan-out': (at, instance) => {
      const from = random.address();
      for (let i = 0; i < 30; i++) add(eth(from, random.address(), { usd: 50 + random.int(200), at: at + i * 60_000 }), 'fan-out', instance);
    },
    'fan-in': (at, instance) => {
      const to = random.address();
      for (let i = 0; i < 30; i++) add(eth(random.address(), to, { usd: 50 + random.int(200), at: at + i * 60_000 }), 'fan-in', instance);
    },
    'pass-through': (at, instance) => {
      const mule = random.address();
      const amount = unitsForUsd(40_000 + random.int(60_000), 'ETH');
      add(account({ hash: random.hash(), from: random.pick(world.customers), to: mule, asset: 'ETH', amount, timestamp: at }), 'pass-through', instance);
      add(account({ hash: random.hash(), from: mule, to: random.address(), asset: 'ETH', amount: (amount * 97n) / 100n, timestamp: at + (3 + random.int(12)) * MINUTE }), 'pass-through', instance);
    },
    'peel-chain': (at, instance) => {
      let holder = random.bitcoinAddress();
      let amount = unitsForUsd(20_000 + random.int(70_000), 'BTC');
      for (let hop = 0; hop < 5; hop++) {
        const peel = (amount * BigInt(3 + random.int(6))) / 100n;
        const next = random.bitcoinAddress();
        add(
          utxo({
            hash: random.hash(),
            timestamp: at + hop * (20 + random.int(40)) * MINUTE,
            inputs: [{ address: holder, amount }],
            outputs: [
              { address: random.bitcoinAddress(), amount: peel },
              { address: next, amount: amount - peel - 2_000n },
            ],
          }),
          'peel-chain',
          instance,
        );
        holder = next;
        amount = amount - peel - 2_000n;
      }
    },
    'mixer-exposure': (at, instance) => {
      const a = random.address();
      const b = random.address();
      add(eth(random.pick(world.mixers), a, { usd: 20_000, at }), 'mixer-exposure', instance);
      add(eth(a, b, { usd: 19_000, at: at + 20 * MINUTE }), 'mixer-exposure', instance);
      add(eth(b, random.pick(world.watched), { usd: 18_000, at: at + 50 * MINUTE }), 'mixer-exposure', instance);
    },
    'address-poisoning': (at, instance) => {
      const victim = random.pick(world.watched);
      const real = random.pick(world.counterpartiesOfWatched);
      // The victim's real counterparty first, as in the wild: poisoners copy real history.
      add(eth(victim, real, { usd: 5_000, at }), 'address-poisoning', instance);
      const lookAlike = `${real.slice(0, 6)}${random.address().slice(6, 38)}${real.slice(-4)}`;
      add(account({ hash: random.hash(), from: lookAlike, to: victim, asset: 'ETH', amount: 0n, timestamp: at + 5 * MINUTE }), 'address-poisoning', instance);
    },
    dusting: (at, instance) => {
      const source = random.bitcoinAddress();
      const outputs = Array.from({ length: 40 }, () => ({ address: random.pick(world.btc), amount: 546n }));
      add(utxo({ hash: random.hash(), timestamp: at, inputs: [{ address: source, amount: 546n * 40n + 10_000n }], outputs }), 'dusting', instance);
    },
    velocity: (at, instance) => {
      const wallet = random.address();
      const usual = [random.pick(world.customers), random.pick(world.customers), random.pick(world.customers)];
      // A quiet day as a baseline, then a burst to the same few counterparties (not a fan-out).
      for (let i = 0; i < 13; i++) add(eth(wallet, random.pick(usual), { usd: 100 + random.int(100), at: at + i * 2 * HOUR }), 'velocity', instance);
      const burst = at + 27 * HOUR;
      for (let i = 0; i < 25; i++) add(eth(wallet, random.pick(usual), { usd: 300 + random.int(500), at: burst + i * MINUTE }), 'velocity', instance);
    },
  };

  return {
    typology(typology: Typology, request: { at: number; instance: number }): void {
      patterns[typology](request.at, request.instance);
    },
    /** Funding from a mixer, preparation by poisoning, exploitation by draining a hot wallet, laundering by peeling. */
    exploit(request: { at: number; instance: number }): void {
      patterns['mixer-exposure'](request.at, request.instance);
      patterns['address-poisoning'](request.at + 6 * HOUR, request.instance);
      const drainer = random.address();
      const hot = random.pick(world.hot);
      for (let i = 0; i < 25; i++) add(eth(hot, drainer, { usd: 150_000 + random.int(100_000), at: request.at + 12 * HOUR + i * MINUTE }), 'large-transfer', request.instance);
      patterns['peel-chain'](request.at + 14 * HOUR, request.instance);
    },
  };
}

/** The NDJSON line of a labelled transaction, in the ingest format (`POST /api/v1/transactions`). */
export function toJsonLine(item: LabelledTransaction): string {
  const { tx, label } = item;
  const common = { chain: tx.chain, hash: tx.hash, asset: tx.asset, decimals: tx.decimals, fee: tx.fee.toString(), block: tx.block, timestamp: tx.timestamp, status: tx.status };
  const body =
    tx.kind === 'account'
      ? { ...common, from: tx.from, to: tx.to, amount: tx.amount.toString(), nonce: tx.nonce, token_contract: tx.tokenContract }
      : {
          kind: 'utxo',
          ...common,
          inputs: tx.inputs.map((i) => ({ address: i.address, amount: i.amount.toString() })),
          outputs: tx.outputs.map((o) => ({ address: o.address, amount: o.amount.toString() })),
        };
  return JSON.stringify(label === null ? body : { ...body, label });
}

/** A detect config (`--detect-config`) for the world of a seed: prices, wallet classes, watched wallets, lists. */
export function worldDetectConfig(
  seed: number,
  count: number,
): {
  prices: Record<string, string>;
  wallets: { classes: Record<string, string>; watched: string[] };
  passThrough: { exemptClasses: string[] };
  lists: { mixers: Record<string, string>; sanctioned: Record<string, string> };
} {
  const world = createWorld(seed, worldSize(count));
  return {
    prices: { ...world.prices },
    wallets: { classes: { ...world.walletClasses }, watched: [...world.watched] },
    // Deposit addresses forward everything they receive to a hot wallet: that is their job.
    passThrough: { exemptClasses: ['hot', 'exchange', 'deposit'] },
    lists: {
      mixers: Object.fromEntries(world.mixers.map((a, i) => [a, `simulated mixer ${i + 1}`])),
      sanctioned: Object.fromEntries(world.sanctioned.map((a, i) => [a, `simulated sanctioned address ${i + 1}`])),
    },
  };
}

/** How many wallets the world of a stream of `count` transactions has. */
export function worldSize(count: number): number {
  return Math.min(200_000, Math.max(2_000, Math.floor(count / 20)));
}
