/**
 * The fields a rule can read, per transaction kind, with the type the checker gives each.
 *
 * The tables are typed against `Transaction` itself: adding, removing or retyping a field in
 * `src/core/transaction.ts` fails to compile here until the table says how rules see it, so
 * the language can never drift from the data it runs on.
 */
import type { AccountTransaction, Transaction, TxLog, UtxoInput, UtxoOutput } from '../../core/transaction.js';

export type TransactionKind = Transaction['kind'];

/** Every transaction kind, in the order the README lists them. */
export const transactionKinds = ['account', 'utxo'] as const satisfies readonly TransactionKind[];

export type FieldType =
  /** Base units (amounts, fees): exact integers of any size. */
  | { readonly kind: 'bigint' }
  /** Counters and times (block, nonce, timestamp): JavaScript numbers. */
  | { readonly kind: 'number' }
  /** Text; `values` lists the only strings an enumerated field can hold (`status`). */
  | { readonly kind: 'string'; readonly values?: readonly string[] }
  | { readonly kind: 'array'; readonly element: FieldType }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, FieldSpec>> };

export interface FieldSpec {
  readonly type: FieldType;
  /** True when the value can be null or missing; only then may a rule compare it with `null`. */
  readonly nullable: boolean;
  /** One line for the README and the console's field picker. */
  readonly doc: string;
}

/** What a field of TypeScript type V must be described as. */
type SpecOf<V> = { readonly type: TypeOf<NonNullable<V>>; readonly nullable: null extends V ? true : undefined extends V ? true : false; readonly doc: string };
type TypeOf<V> = [V] extends [bigint]
  ? { readonly kind: 'bigint' }
  : [V] extends [number]
    ? { readonly kind: 'number' }
    : [V] extends [string]
      ? { readonly kind: 'string'; readonly values?: readonly V[] }
      : [V] extends [readonly (infer E)[]]
        ? { readonly kind: 'array'; readonly element: TypeOf<E> }
        : { readonly kind: 'object'; readonly fields: Readonly<Record<string, FieldSpec>> };
/** A table with exactly the fields of T, each described by the type it has in T. */
type FieldsOf<T> = { readonly [K in keyof T]-?: SpecOf<T[K]> };

const bigintType = { kind: 'bigint' } as const;
const numberType = { kind: 'number' } as const;
const stringType = { kind: 'string' } as const;
const addressType = stringType;

const logFields = {
  address: { type: addressType, nullable: false, doc: 'Contract that emitted the log, lowercase hex.' },
  topics: { type: { kind: 'array', element: stringType }, nullable: false, doc: 'Indexed topics; topics[0] is the event signature hash.' },
  data: { type: stringType, nullable: false, doc: 'Unindexed data, hex.' },
} as const satisfies FieldsOf<TxLog>;

const inputFields = {
  address: { type: addressType, nullable: false, doc: 'Address the input spends from.' },
  amount: { type: bigintType, nullable: false, doc: 'Value spent, in base units (satoshi).' },
  prevHash: { type: stringType, nullable: true, doc: 'Hash of the transaction whose output is spent, when known.' },
  prevIndex: { type: numberType, nullable: true, doc: 'Index of the spent output in that transaction, when known.' },
} as const satisfies FieldsOf<UtxoInput>;

const outputFields = {
  address: { type: addressType, nullable: false, doc: 'Address paid.' },
  amount: { type: bigintType, nullable: false, doc: 'Value paid, in base units (satoshi).' },
} as const satisfies FieldsOf<UtxoOutput>;

const commonFields = {
  chain: { type: stringType, nullable: false, doc: 'Chain name: ethereum, bitcoin, polygon, …' },
  hash: { type: stringType, nullable: false, doc: 'Transaction hash.' },
  asset: { type: stringType, nullable: false, doc: 'Asset symbol as ingested: ETH, USDC, BTC, …' },
  decimals: { type: numberType, nullable: false, doc: "Decimals of the asset: base units per whole unit is 10^decimals." },
  fee: { type: bigintType, nullable: false, doc: 'Fee paid, in base units of the chain’s native asset.' },
  block: { type: numberType, nullable: false, doc: 'Block number (height).' },
  timestamp: { type: numberType, nullable: false, doc: 'Block time, milliseconds since the epoch (UTC).' },
  status: { type: { kind: 'string', values: ['success', 'failed', 'pending'] }, nullable: false, doc: 'success, failed or pending.' },
} as const;

const accountFields = {
  kind: { type: { kind: 'string', values: ['account'] }, nullable: false, doc: "Always 'account'." },
  ...commonFields,
  from: { type: addressType, nullable: false, doc: 'Sender, lowercase.' },
  to: { type: addressType, nullable: true, doc: 'Receiver, lowercase; null for a contract creation.' },
  amount: { type: bigintType, nullable: false, doc: 'Value transferred, in base units of `asset`.' },
  nonce: { type: numberType, nullable: true, doc: 'Sender nonce, when the chain has one.' },
  tokenContract: { type: addressType, nullable: true, doc: 'Token contract for a token transfer; null for the native asset.' },
  logs: { type: { kind: 'array', element: { kind: 'object', fields: logFields } }, nullable: false, doc: 'Event logs, in order: logs[i].address, logs[i].topics[j], logs[i].data.' },
} as const satisfies FieldsOf<AccountTransaction>;

const utxoFields = {
  kind: { type: { kind: 'string', values: ['utxo'] }, nullable: false, doc: "Always 'utxo'." },
  ...commonFields,
  inputs: { type: { kind: 'array', element: { kind: 'object', fields: inputFields } }, nullable: false, doc: 'Inputs: inputs[i].address, .amount, .prevHash, .prevIndex.' },
  outputs: { type: { kind: 'array', element: { kind: 'object', fields: outputFields } }, nullable: false, doc: 'Outputs: outputs[i].address, .amount.' },
} as const satisfies FieldsOf<Extract<Transaction, { kind: 'utxo' }>>;

/** The top-level fields of each kind of transaction. */
export const transactionFields: Readonly<Record<TransactionKind, Readonly<Record<string, FieldSpec>>>> = {
  account: accountFields,
  utxo: utxoFields,
};

/** The fields of one element of each array field, for the README and the console. */
export const elementFields: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  logs: logFields,
  inputs: inputFields,
  outputs: outputFields,
};

/** The field `name` of an object type, never one of Object.prototype's (`constructor`, `toString`). */
export function ownField(fields: Readonly<Record<string, FieldSpec>>, name: string): FieldSpec | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}
