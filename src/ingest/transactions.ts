/**
 * Transactions as senders write them (JSON): amounts as strings of integer base units so no
 * precision is lost on the way (JSON numbers are accepted only while they are exact integers),
 * times as ISO 8601 or epoch milliseconds. Each object becomes a core `Transaction`.
 */
import { z } from 'zod';
import type { Transaction } from '../core/transaction.js';
import { readTransaction } from './read-transaction.js';
import { byShape } from './text.js';

// The schemas only check; `toTransaction` converts (BigInt, lowercase, Date.parse) once the
// whole object is known to be valid. Per-field transforms cost a pipe each on the hot path of a
// streamed upload, where this is most of the time spent per line.

/** An amount in base units: a decimal integer string, or a JSON number that is a safe integer. */
const baseUnits = z.union([
  z.string().regex(/^\d{1,78}$/, 'must be a non-negative integer in base units, as a string of digits'),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]);

const address = z.string().min(1).max(128);

const isoTime = z.iso.datetime({ offset: true });
/** Whether text is an ISO 8601 date-time with `Z` or an offset, by the schema's own rule (the hand-written reader asks it). */
export const isIsoTime = (text: string): boolean => isoTime.safeParse(text).success;

/** ISO 8601 text or epoch milliseconds. */
const time = z.union([z.number().int().nonnegative(), isoTime]);

const common = {
  chain: z.string().min(1).max(64),
  hash: z.string().min(1).max(128),
  asset: z.string().min(1).max(32),
  decimals: z.number().int().min(0).max(36),
  fee: baseUnits.optional(),
  block: z.number().int().nonnegative(),
  timestamp: time,
  status: z.enum(['success', 'failed', 'pending']).optional(),
};

const logSchema = z.object({
  address: address,
  topics: z.array(z.string().max(132)).max(8),
  data: z.string().max(65_536),
});

const accountSchema = z.object({
  kind: z.literal('account').optional(),
  ...common,
  from: address,
  to: address.nullable(),
  amount: baseUnits,
  nonce: z.number().int().nonnegative().nullish(),
  token_contract: address.nullish(),
  logs: z.array(logSchema).max(256).optional(),
});

const utxoPart = z.object({ address, amount: baseUnits });
const utxoSchema = z.object({
  kind: z.literal('utxo'),
  ...common,
  inputs: z.array(utxoPart.extend({ prev_hash: z.string().max(128).optional(), prev_index: z.number().int().nonnegative().optional() })).min(1).max(10_000),
  outputs: z.array(utxoPart).min(1).max(10_000),
});

type Parsed = z.infer<typeof accountSchema> | z.infer<typeof utxoSchema>;

/** One transaction, account (the default) or UTXO (`"kind": "utxo"`). */
export const transactionSchema = byShape<Parsed>((input): z.ZodType<Parsed> => (isUtxo(input) ? utxoSchema : accountSchema), [accountSchema, utxoSchema]).transform(
  toTransaction,
);

function isUtxo(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'utxo';
}

/** A JSON array of transactions (the non-streaming form of `POST /api/v1/transactions`). */
export const transactionArraySchema = z.array(transactionSchema).max(10_000);


const lower = (address: string): string => address.toLowerCase();

function toTransaction(t: Parsed): Transaction {
  const base = {
    chain: t.chain,
    hash: t.hash,
    asset: t.asset,
    decimals: t.decimals,
    fee: t.fee === undefined ? 0n : BigInt(t.fee),
    block: t.block,
    timestamp: typeof t.timestamp === 'number' ? t.timestamp : Date.parse(t.timestamp),
    status: t.status ?? 'success',
  } as const;
  if (t.kind === 'utxo') {
    return {
      ...base,
      kind: 'utxo',
      inputs: t.inputs.map((i) => ({
        address: lower(i.address),
        amount: BigInt(i.amount),
        ...(i.prev_hash === undefined ? {} : { prevHash: i.prev_hash }),
        ...(i.prev_index === undefined ? {} : { prevIndex: i.prev_index }),
      })),
      outputs: t.outputs.map((o) => ({ address: lower(o.address), amount: BigInt(o.amount) })),
    };
  }
  return {
    ...base,
    kind: 'account',
    from: lower(t.from),
    to: t.to === null ? null : lower(t.to),
    amount: BigInt(t.amount),
    nonce: t.nonce ?? null,
    tokenContract: t.token_contract == null ? null : lower(t.token_contract),
    logs: (t.logs ?? []).map((l) => ({ ...l, address: lower(l.address) })),
  };
}

export type LineResult = { readonly ok: true; readonly transaction: Transaction } | { readonly ok: false; readonly message: string };

/**
 * Parses one NDJSON line. A bad line is reported with what is wrong and the stream goes on:
 * one typo in a million-line export must not cost the other lines.
 */
export function parseTransactionLine(line: string): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  // The hand-written reader first: this is the hot path of a streamed upload and a replay. It
  // accepts exactly what the schemas accept; zod runs only on a line it rejects, to say why.
  const transaction = readTransaction(value, isIsoTime);
  if (transaction !== undefined) return { ok: true, transaction };
  const schema = isUtxo(value) ? utxoSchema : accountSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, transaction: toTransaction(parsed.data) };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return { ok: false, message: `${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid transaction'}` };
}
