/**
 * Exact decimal text and bigint base units. Configuration says amounts the way people write
 * them (`'3150.25'`, `'0.0001'`); transactions carry bigint base units with decimals beside them.
 * Everything between the two is bigint arithmetic, never floats, so a threshold of $10,000 is
 * met by a transfer worth $10,000.00 and not by one worth $9,999.999999.
 */

/** A non-negative decimal written with digits and at most one point: `'1'`, `'0.5'`, `'3150.25'`. */
export const decimalPattern = /^\d{1,40}(\.\d{1,36})?$/;

/** `units / 10^scale`: `'3150.25'` is `{ units: 315025n, scale: 2 }`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const powers: bigint[] = [];

/** 10^n as a bigint, cached: every conversion needs one and decimals repeat. */
export function pow10(n: number): bigint {
  let p = powers[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    powers[n] = p;
  }
  return p;
}

/** Reads decimal text; throws a `RangeError` naming the text when it is not one. */
export function parseDecimal(text: string): Decimal {
  if (!decimalPattern.test(text)) throw new RangeError(`${JSON.stringify(text)} is not a non-negative decimal such as "3150.25"`);
  const point = text.indexOf('.');
  if (point < 0) return { units: BigInt(text), scale: 0 };
  return { units: BigInt(text.slice(0, point) + text.slice(point + 1)), scale: text.length - point - 1 };
}

/** The decimal in base units of an asset with `decimals`, rounded down. */
export function toBaseUnits(value: Decimal, decimals: number): bigint {
  if (decimals >= value.scale) return value.units * pow10(decimals - value.scale);
  return value.units / pow10(value.scale - decimals);
}

/** Decimal text of a USD amount in cents, rounded down: `'10000'` is `1000000n`. */
export function usdToCents(text: string): bigint {
  return toBaseUnits(parseDecimal(text), 2);
}

/** Base units as decimal text without trailing zeros: `(1500000000000000000n, 18)` is `'1.5'`. */
export function formatUnits(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString();
  if (decimals <= 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '');
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative ? `-${text}` : text;
}

/** An asset amount as a person reads it: `'1.5 ETH'`. */
export function formatAsset(value: { readonly amount: bigint; readonly decimals: number; readonly asset: string }): string {
  return `${formatUnits(value.amount, value.decimals)} ${value.asset}`;
}

/** Cents as plain decimal text for metadata: `123456n` is `'1234.56'`. */
export function centsText(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** Cents as a person reads dollars: `123456789n` is `'$1,234,567.89'`. */
export function formatUsd(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** `part / whole` as a percentage with one decimal, rounded down: `(9n, 10n)` is `'90.0'`. */
export function percentText(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.0';
  const tenths = (part * 1000n) / whole;
  return `${(tenths / 10n).toString()}.${(tenths % 10n).toString()}`;
}
