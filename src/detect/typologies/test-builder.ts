/**
 * Hand-built transactions for the typology tests: readable addresses, amounts written as
 * decimal text, and a seeded stream for the memory and determinism tests. Pure data, no I/O.
 */
import type { AccountTransaction, UtxoTransaction } from '../../core/transaction.js';
import { parseDecimal, toBaseUnits } from './amounts.js';
import { PriceBook } from './price-book.js';

export const second = 1000;
export const minute = 60 * second;
export const hour = 60 * minute;
export const day = 24 * hour;

/** A fixed start, 2025-01-01T00:00:00Z, so hour buckets and windows are easy to reason about. */
export const t0 = Date.UTC(2025, 0, 1);

/** The prices every test uses. */
export const testPrices = new PriceBook({ ETH: '3000', USDC: '1', BTC: '100000' });

/** A 40-hex-digit address from a number or a short name: `addr(7)`, `addr('hot')`. */
export function addr(id: number | string): string {
  const hex =
    typeof id === 'number'
      ? id.toString(16)
      : [...id].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return `0x${hex.padStart(40, '0').slice(-40)}`;
}

/** An address with chosen leading and trailing hex and a filler between: look-alike tests. */
export function lookAlike(input: { head: string; tail: string; fill: string }): string {
  const middle = input.fill.repeat(40).slice(0, 40 - input.head.length - input.tail.length);
  return `0x${input.head}${middle}${input.tail}`;
}

export const eth = (text: string): bigint => toBaseUnits(parseDecimal(text), 18);
export const usdc = (text: string): bigint => toBaseUnits(parseDecimal(text), 6);
export const btc = (text: string): bigint => toBaseUnits(parseDecimal(text), 8);

let sequence = 0;

function nextHash(): string {
  sequence += 1;
  return `0x${sequence.toString(16).padStart(64, '0')}`;
}

export interface TransferInput {
  readonly from: string;
  readonly to: string | null;
  readonly amount: bigint;
  readonly at: number;
  readonly asset?: string;
  readonly decimals?: number;
  readonly hash?: string;
  readonly status?: AccountTransaction['status'];
}

/** An account-model transfer; ETH (18 decimals) unless told. */
export function transfer(input: TransferInput): AccountTransaction {
  const asset = input.asset ?? 'ETH';
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: input.hash ?? nextHash(),
    asset,
    decimals: input.decimals ?? (asset === 'USDC' ? 6 : 18),
    fee: 0n,
    block: Math.floor((input.at - t0) / 12_000),
    timestamp: input.at,
    status: input.status ?? 'success',
    from: input.from,
    to: input.to,
    amount: input.amount,
    nonce: null,
    tokenContract: null,
    logs: [],
  };
}

export interface UtxoInputSpec {
  readonly inputs: readonly (readonly [address: string, amount: bigint])[];
  readonly outputs: readonly (readonly [address: string, amount: bigint])[];
  readonly at: number;
  readonly hash?: string;
}

/** A Bitcoin transaction (8 decimals). */
export function utxo(input: UtxoInputSpec): UtxoTransaction {
  return {
    kind: 'utxo',
    chain: 'bitcoin',
    hash: input.hash ?? nextHash(),
    asset: 'BTC',
    decimals: 8,
    fee: 0n,
    block: Math.floor((input.at - t0) / 600_000),
    timestamp: input.at,
    status: 'success',
    inputs: input.inputs.map(([address, amount]) => ({ address, amount })),
    outputs: input.outputs.map(([address, amount]) => ({ address, amount })),
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` transfers between fresh addresses, one a second: every sender and receiver is new, so
 * each transaction adds state for two addresses that are never seen again. Amounts vary from
 * dust to about $30,000 so every typology's filters let some through.
 */
export function distinctAddressStream(input: { count: number; seed: number }): AccountTransaction[] {
  const rand = random(input.seed);
  const out: AccountTransaction[] = [];
  for (let i = 0; i < input.count; i += 1) {
    const amount = BigInt(Math.floor(rand() * 10_000)) * 10n ** 15n;
    out.push(transfer({ from: addr(2 * i + 1_000_000), to: addr(2 * i + 1_000_001), amount, at: t0 + i * second, hash: `0xd${i.toString(16)}` }));
  }
  return out;
}

/**
 * A mixed stream over a small population, `count` transactions at random intervals: repeats,
 * bursts and near-threshold amounts, enough to make most typologies fire somewhere.
 */
export function mixedStream(input: { count: number; seed: number; population: number }): AccountTransaction[] {
  const rand = random(input.seed);
  const out: AccountTransaction[] = [];
  let at = t0;
  for (let i = 0; i < input.count; i += 1) {
    at += Math.floor(rand() * 5 * minute);
    const from = addr(1 + Math.floor(rand() * input.population));
    const to = addr(1 + Math.floor(rand() * input.population));
    const usdcAmount = rand() < 0.3;
    const amount = usdcAmount ? usdc(String(8_500 + Math.floor(rand() * 1_600))) : BigInt(Math.floor(rand() ** 3 * 50_000)) * 10n ** 15n;
    out.push(transfer({ from, to, amount, at, asset: usdcAmount ? 'USDC' : 'ETH', hash: `0xm${i.toString(16)}` }));
  }
  return out;
}
