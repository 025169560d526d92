/**
 * The NDJSON hot path's validator: checks a parsed JSON value against the same rules as
 * `transactionSchema` (src/ingest/transactions.ts) and builds the `Transaction` in the same pass.
 *
 * Why by hand: on a streamed upload or a replay, zod's checks and the second pass that converts
 * the checked object cost several times the `JSON.parse` of the line. This does one walk over
 * the fields and allocates only the result. It answers only "valid or not": a rejected value is
 * handed to the zod schema, which says what is wrong, so messages come from one place. Both must
 * accept and reject exactly the same inputs and build the same transaction; a property test
 * (`read-transaction.test.ts`) pins that, and the zod schemas stay the reference for the JSON API.
 */
import type { AccountTransaction, Transaction, TransactionStatus, TxLog, UtxoInput, UtxoOutput, UtxoTransaction } from '../core/transaction.js';

type Json = Record<string, unknown>;

/** What `isoTime` accepts: ISO 8601 date-time text with `Z` or an offset; supplied by the schema module so the rule lives once. */
export type IsoTimeCheck = (text: string) => boolean;

const digits = /^\d{1,78}$/;
const maxSafe = Number.MAX_SAFE_INTEGER;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** `z.number().int()` (a safe integer) within `[min, max]`. */
function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Base units: a string of 1 to 78 digits, or a non-negative safe integer. Undefined when invalid. */
function baseUnits(value: unknown): bigint | undefined {
  if (typeof value === 'string') return digits.test(value) ? BigInt(value) : undefined;
  return isInt(value, 0, maxSafe) ? BigInt(value) : undefined;
}

const address = (value: unknown): value is string => isString(value, 1, 128);

function status(value: unknown): TransactionStatus | undefined | false {
  if (value === undefined) return undefined;
  return value === 'success' || value === 'failed' || value === 'pending' ? value : false;
}

/**
 * The fields both kinds share. The kind's own fields are added to this object in place
 * (`Object.assign`), never spread into a new one: a spread copy came out as a slow-mode object,
 * which cost more than all the checks and slowed every detector that read it.
 */
type Base = Pick<Transaction, 'chain' | 'hash' | 'asset' | 'decimals' | 'fee' | 'block' | 'timestamp' | 'status'>;

function readBase(v: Json, isoTime: IsoTimeCheck): Base | undefined {
  const { chain, hash, asset, decimals, block, timestamp } = v;
  if (!isString(chain, 1, 64) || !isString(hash, 1, 128) || !isString(asset, 1, 32) || !isInt(decimals, 0, 36) || !isInt(block, 0, maxSafe)) return undefined;
  let time: number;
  if (typeof timestamp === 'number') {
    if (!isInt(timestamp, 0, maxSafe)) return undefined;
    time = timestamp;
  } else {
    if (typeof timestamp !== 'string' || !isoTime(timestamp)) return undefined;
    time = Date.parse(timestamp);
  }
  let fee = 0n;
  if (v.fee !== undefined) {
    const parsed = baseUnits(v.fee);
    if (parsed === undefined) return undefined;
    fee = parsed;
  }
  const s = status(v.status);
  if (s === false) return undefined;
  return { chain, hash, asset, decimals, fee, block, timestamp: time, status: s ?? 'success' };
}

function readLogs(value: unknown): TxLog[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 256) return undefined;
  const logs: TxLog[] = [];
  for (const l of value as unknown[]) {
    if (!isObject(l) || !address(l.address) || typeof l.data !== 'string' || l.data.length > 65_536) return undefined;
    const topics = l.topics;
    if (!Array.isArray(topics) || topics.length > 8) return undefined;
    for (const t of topics as unknown[]) if (!isString(t, 0, 132)) return undefined;
    logs.push({ address: l.address.toLowerCase(), topics: [...(topics as string[])], data: l.data });
  }
  return logs;
}

function readAccount(v: Json, base: Base): AccountTransaction | undefined {
  const { kind, from, to, nonce, token_contract: tokenContract } = v;
  if (kind !== undefined && kind !== 'account') return undefined;
  if (!address(from) || (to !== null && !address(to))) return undefined;
  const amount = baseUnits(v.amount);
  if (amount === undefined) return undefined;
  if (nonce !== undefined && nonce !== null && !isInt(nonce, 0, maxSafe)) return undefined;
  if (tokenContract !== undefined && tokenContract !== null && !address(tokenContract)) return undefined;
  const logs = readLogs(v.logs);
  if (logs === undefined) return undefined;
  return Object.assign(base, {
    kind: 'account' as const,
    from: from.toLowerCase(),
    to: to === null ? null : to.toLowerCase(),
    amount,
    nonce: nonce ?? null,
    tokenContract: tokenContract == null ? null : tokenContract.toLowerCase(),
    logs,
  });
}

function readUtxo(v: Json, base: Base): UtxoTransaction | undefined {
  const { inputs, outputs } = v;
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > 10_000) return undefined;
  if (!Array.isArray(outputs) || outputs.length < 1 || outputs.length > 10_000) return undefined;
  const ins: UtxoInput[] = [];
  for (const i of inputs as unknown[]) {
    if (!isObject(i) || !address(i.address)) return undefined;
    const amount = baseUnits(i.amount);
    if (amount === undefined) return undefined;
    const { prev_hash: prevHash, prev_index: prevIndex } = i;
    if (prevHash !== undefined && !isString(prevHash, 0, 128)) return undefined;
    if (prevIndex !== undefined && !isInt(prevIndex, 0, maxSafe)) return undefined;
    const input: { address: string; amount: bigint; prevHash?: string; prevIndex?: number } = { address: i.address.toLowerCase(), amount };
    if (prevHash !== undefined) input.prevHash = prevHash;
    if (prevIndex !== undefined) input.prevIndex = prevIndex;
    ins.push(input);
  }
  const outs: UtxoOutput[] = [];
  for (const o of outputs as unknown[]) {
    if (!isObject(o) || !address(o.address)) return undefined;
    const amount = baseUnits(o.amount);
    if (amount === undefined) return undefined;
    outs.push({ address: o.address.toLowerCase(), amount });
  }
  return Object.assign(base, {
    kind: 'utxo' as const,
    inputs: ins,
    outputs: outs,
  });
}

/**
 * The transaction `value` (a parsed JSON value) describes, account (the default) or UTXO
 * (`"kind": "utxo"`), exactly as `transactionSchema` would give it; undefined when the schema
 * would reject it.
 */
export function readTransaction(value: unknown, isoTime: IsoTimeCheck): Transaction | undefined {
  if (!isObject(value)) return undefined;
  const base = readBase(value, isoTime);
  if (base === undefined) return undefined;
  return value.kind === 'utxo' ? readUtxo(value, base) : readAccount(value, base);
}
