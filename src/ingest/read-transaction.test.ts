import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTransaction } from './read-transaction.js';
import { isIsoTime, parseTransactionLine, transactionSchema } from './transactions.js';

const missing = Symbol('missing');
type Field = unknown;

/** Mostly valid values, sometimes a near miss, sometimes the key left out. */
function field(valid: fc.Arbitrary<Field>, invalid: fc.Arbitrary<Field>, weights = { valid: 30, invalid: 1, missing: 1 }): fc.Arbitrary<Field> {
  return fc.oneof(
    { arbitrary: valid, weight: weights.valid },
    { arbitrary: invalid, weight: weights.invalid },
    { arbitrary: fc.constant(missing), weight: weights.missing },
  );
}

function withoutMissing(record: Record<string, Field>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== missing));
}

const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max });
const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 3 }), fc.constant([]), fc.constant({}));
/** A string of `n` characters, for lengths at the limits. */
const ofLength = (n: number) => fc.constant('a'.repeat(n));
const sized = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: text(min, Math.min(max, 12)), weight: 30 },
    { arbitrary: ofLength(max), weight: 1 },
    { arbitrary: ofLength(max + 1), weight: 1 },
    ...(min > 0 ? [{ arbitrary: ofLength(min - 1), weight: 1 }] : []),
  );

const amountValid = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 78n - 1n }).map(String),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.stringMatching(/^0\d{0,5}$/),
  fc.constant('9'.repeat(78)),
);
const amountInvalid = fc.oneof(
  fc.constant('1'.repeat(79)),
  fc.constantFrom('', '-1', '1e3', ' 1', '1 ', '1.5', '0x10', '١٢', '1\n', 'NaN'),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 1, 2 ** 60, -0.5),
  junk,
);
const intIn = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
const intInvalid = (min: number, max: number) => fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5, 2 ** 53, -(2 ** 53)), fc.integer().map(String), junk);

const isoValid = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5+01:00', '2024-02-29T23:59:59-05:30', '2026-06-30T12:00:00.123456789Z'),
);
const isoInvalid = fc.constantFrom(
  '2026-02-30T00:00:00Z',
  '2026-01-01T00:00Z',
  '2026-01-01 00:00:00Z',
  '2026-01-01T00:00:00',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01',
  '2023-02-29T00:00:00Z',
  'yesterday',
);

const address = field(sized(1, 128), junk);
const amount = field(amountValid, amountInvalid);

const common = {
  chain: field(sized(1, 64), junk),
  hash: field(sized(1, 128), junk),
  asset: field(sized(1, 32), junk),
  decimals: field(intIn(0, 36), intInvalid(0, 36)),
  fee: field(amountValid, amountInvalid, { valid: 6, invalid: 1, missing: 6 }),
  block: field(intIn(0, Number.MAX_SAFE_INTEGER), intInvalid(0, Number.MAX_SAFE_INTEGER)),
  timestamp: field(fc.oneof(intIn(0, Number.MAX_SAFE_INTEGER), isoValid), fc.oneof(isoInvalid, intInvalid(0, Number.MAX_SAFE_INTEGER))),
  status: field(fc.constantFrom('success', 'failed', 'pending'), fc.oneof(fc.constantFrom('ok', 'SUCCESS', null), junk), { valid: 6, invalid: 1, missing: 6 }),
  extra: field(fc.jsonValue({ maxDepth: 1 }), fc.constant(missing), { valid: 1, invalid: 0, missing: 6 }),
};

const log = fc
  .record({
    address,
    topics: field(fc.array(field(sized(0, 132), junk, { valid: 20, invalid: 1, missing: 0 }), { maxLength: 9 }), junk),
    data: field(sized(0, 65_536), junk),
  })
  .map(withoutMissing);

const account = fc
  .record({
    ...common,
    kind: field(fc.constant('account'), fc.constantFrom('Account', 'utxo ', null, 1), { valid: 3, invalid: 1, missing: 8 }),
    from: address,
    to: field(fc.oneof({ arbitrary: sized(1, 128), weight: 8 }, { arbitrary: fc.constant(null), weight: 1 }), junk),
    amount,
    nonce: field(fc.oneof(intIn(0, Number.MAX_SAFE_INTEGER), fc.constant(null)), intInvalid(0, Number.MAX_SAFE_INTEGER), { valid: 6, invalid: 1, missing: 6 }),
    token_contract: field(fc.oneof(sized(1, 128), fc.constant(null)), junk, { valid: 6, invalid: 1, missing: 6 }),
    logs: field(fc.array(log, { maxLength: 3 }), junk, { valid: 3, invalid: 1, missing: 8 }),
  })
  .map(withoutMissing);

const utxoPart = (extra: Record<string, fc.Arbitrary<Field>>) =>
  fc.oneof(
    { arbitrary: fc.record({ address, amount, ...extra }).map(withoutMissing), weight: 12 },
    { arbitrary: junk, weight: 1 },
  );
const utxo = fc
  .record({
    ...common,
    kind: fc.constant('utxo'),
    inputs: field(
      fc.array(
        utxoPart({
          prev_hash: field(sized(0, 128), junk, { valid: 3, invalid: 1, missing: 6 }),
          prev_index: field(intIn(0, Number.MAX_SAFE_INTEGER), intInvalid(0, Number.MAX_SAFE_INTEGER), { valid: 3, invalid: 1, missing: 6 }),
        }),
        { minLength: 0, maxLength: 4 },
      ),
      junk,
    ),
    outputs: field(fc.array(utxoPart({}), { minLength: 0, maxLength: 4 }), junk),
  })
  .map(withoutMissing);

const anyValue = fc.oneof({ arbitrary: account, weight: 5 }, { arbitrary: utxo, weight: 5 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });

describe('readTransaction, the hand-written validator of the NDJSON hot path', () => {
  it('accepts exactly what the zod schema accepts, and builds the same transaction', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(anyValue, (value) => {
        // Through JSON, as the hot path sees it: no undefined, no -0, no non-finite numbers.
        const json: unknown = JSON.parse(JSON.stringify(value));
        const reference = transactionSchema.safeParse(json);
        const fast = readTransaction(json, isIsoTime);
        if (reference.success) {
          accepted += 1;
          expect(fast).toStrictEqual(reference.data);
        } else {
          rejected += 1;
          expect(fast).toBeUndefined();
        }
      }),
      { numRuns: 5_000 },
    );
    // Both sides of the line were exercised.
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(500);
  });

  it('agrees with the schema at the array limits', () => {
    const base = { chain: 'bitcoin', hash: 'h', asset: 'BTC', decimals: 8, block: 1, timestamp: 1 };
    const part = { address: 'bc1q', amount: '1' };
    const cases = [
      { ...base, kind: 'utxo', inputs: Array.from({ length: 10_000 }, () => part), outputs: [part] },
      { ...base, kind: 'utxo', inputs: Array.from({ length: 10_001 }, () => part), outputs: [part] },
      { ...base, kind: 'utxo', inputs: [part], outputs: Array.from({ length: 10_001 }, () => part) },
      { ...base, from: 'a', to: 'b', amount: '1', logs: Array.from({ length: 256 }, () => ({ address: 'a', topics: [], data: '' })) },
      { ...base, from: 'a', to: 'b', amount: '1', logs: Array.from({ length: 257 }, () => ({ address: 'a', topics: [], data: '' })) },
      { ...base, from: 'a', to: 'b', amount: '1', logs: [{ address: 'a', topics: Array.from({ length: 9 }, () => 't'), data: '' }] },
    ];
    for (const value of cases) {
      const reference = transactionSchema.safeParse(value);
      const fast = readTransaction(value, isIsoTime);
      expect(fast === undefined ? 'rejected' : 'accepted').toBe(reference.success ? 'accepted' : 'rejected');
      if (reference.success) expect(fast).toStrictEqual(reference.data);
    }
  });

  it('a rejected line still says what is wrong, in zod words', () => {
    const line = JSON.stringify({ chain: 'ethereum', hash: '0x1', asset: 'ETH', decimals: 18, block: 1, timestamp: 1, from: '0xA', to: '0xB', amount: '-5' });
    expect(parseTransactionLine(line)).toEqual({ ok: false, message: expect.stringMatching(/^amount: /) });
    const ok = parseTransactionLine(JSON.stringify({ chain: 'ethereum', hash: '0x1', asset: 'ETH', decimals: 18, block: 1, timestamp: 1, from: '0xA', to: '0xB', amount: '5' }));
    expect(ok.ok && ok.transaction.kind === 'account' && ok.transaction.from).toBe('0xa');
  });
});
