/**
 * The JSON form of an incident fact, as the API and CLI accept it. Amounts are base units as a
 * string of digits (JSON numbers cannot hold 10^18 exactly) with the asset's decimals; USD values
 * are dollars as decimal text (`"40,000.50"`), read into exact cents.
 */
import { z } from 'zod';
import {
  addressStates,
  destinationTypes,
  recoveryStatuses,
  transactionRoles,
  type AddressState,
  type DestinationType,
  type IncidentFactBody,
  type RecoveryStatus,
  type TransactionRole,
} from '../../core/incident-facts.js';
import { parseUsdCents } from '../../triage/usd-amount.js';

const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);
const note = z.string().max(4000).optional();

const assetAmount = z.strictObject({
  amount: z.string().regex(/^\d{1,78}$/, { message: 'must be base units as a string of digits, like "1500000000000000000" for 1.5 ETH' }).transform(BigInt),
  asset: text(32),
  decimals: z.int().min(0).max(36),
});

const usd = z.string().transform((value, ctx) => {
  const parsed = parseUsdCents(value);
  if (parsed.ok) return parsed.cents;
  ctx.issues.push({ code: 'custom', message: parsed.reason, input: value });
  return z.NEVER;
});

const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

export const factSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('transaction'),
    chain: text(64),
    hash: text(200),
    role: enumOf<TransactionRole>(transactionRoles).default('related'),
    from: text(200).optional(),
    to: text(200).optional(),
    value: assetAmount.optional(),
    note,
  }),
  z.strictObject({
    kind: z.literal('address'),
    chain: text(64),
    address: text(200),
    state: enumOf<AddressState>(addressStates),
    label: text(200).optional(),
    balance: assetAmount.optional(),
    valueUsd: usd.optional(),
    note,
  }),
  z.strictObject({
    kind: z.literal('funds_movement'),
    chain: text(64),
    txHash: text(200),
    origin: text(200),
    destination: text(200),
    destinationType: enumOf<DestinationType>(destinationTypes).default('unknown'),
    value: assetAmount,
    valueUsd: usd.optional(),
    recovery: enumOf<RecoveryStatus>(recoveryStatuses).default('not_started'),
    note,
  }),
  z.strictObject({
    kind: z.literal('attacker'),
    name: text(120),
    addresses: z.array(text(200)).max(1000).default([]),
    attribution: text(2000).optional(),
    indicators: z.array(text(500)).max(1000).default([]),
    note,
  }),
  z.strictObject({ kind: z.literal('impact'), key: text(64), value: text(200), note }),
]);

/** A fact as written in JSON, before parsing. */
export type FactInput = z.input<typeof factSchema>;

/** The parsed form with optional fields left out rather than undefined (exactOptionalPropertyTypes). */
export function toFactBody(parsed: z.output<typeof factSchema>): IncidentFactBody {
  const { valueUsd, ...rest } = parsed as typeof parsed & { valueUsd?: bigint };
  const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as unknown as IncidentFactBody;
  return valueUsd === undefined ? body : ({ ...body, valueUsdCents: valueUsd } as IncidentFactBody);
}
