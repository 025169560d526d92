/**
 * Base-10 logarithms of bigint amounts.
 *
 * Amounts are bigint base units (wei, satoshi, token units) and token amounts can run to 78
 * digits. The statistics work on log10 of an amount, so the conversion only has to be right to
 * about 1e-15 in the mantissa, but it must never be wrong in the exponent:
 *
 * - `Number(amount)` rounds above 2^53 (harmless for a logarithm) but turns into `Infinity`
 *   past ~1.8e308, and a bigint has no such limit, so a hostile or corrupt amount would poison
 *   every mean and sketch it touches with `Infinity`/`NaN`;
 * - dividing first (`amount / 10n ** decimals`) truncates: a 0.4 ETH transfer becomes 0 and its
 *   logarithm `-Infinity`.
 *
 * So below the largest double the amount goes through `Number` (correctly rounded, nothing
 * allocated), and past it the exponent comes from the exact digit count of the decimal text and
 * only the leading 17 digits go through a float: `log10(d1.d2…d17) + (digits - 1)`. Both are
 * exact in the integer part for any size.
 */

/** log10 of a non-negative bigint: `-Infinity` for 0, `NaN` for a negative value. */
export function log10Bigint(value: bigint): number {
  if (value <= 0n) return value === 0n ? -Infinity : NaN;
  // The statistics take the log of a transaction's amount twice (its baseline and its features);
  // remembering the last one saves the second `toString` of a large amount.
  if (value === lastValue) return lastLog;
  lastLog = computeLog10(value);
  lastValue = value;
  return lastLog;
}

let lastValue = 0n;
let lastLog = -Infinity;

function computeLog10(value: bigint): number {
  // `Number` rounds to the nearest double, a relative error of 2^-53, and stays exact in the
  // exponent while it is finite: the decimal text is needed only past the largest double.
  const approx = Number(value);
  if (approx !== Infinity) return Math.log10(approx);
  const digits = value.toString();
  const mantissa = Number(`${digits.slice(0, 1)}.${digits.slice(1, 17)}`);
  return Math.log10(mantissa) + (digits.length - 1);
}

/** log10 of an amount in whole units of an asset with `decimals`: `(1500000000000000000n, 18)` is log10(1.5). */
export function log10Units(amount: bigint, decimals: number): number {
  return log10Bigint(amount) - decimals;
}

/**
 * log10 of a price written as decimal text (`'3150.25'`), the way the price table of the
 * typologies is configured; `undefined` when the text is not a positive decimal.
 */
export function log10DecimalText(text: string): number | undefined {
  if (!/^\d{1,40}(\.\d{1,36})?$/.test(text)) return undefined;
  const point = text.indexOf('.');
  const units = point < 0 ? BigInt(text) : BigInt(text.slice(0, point) + text.slice(point + 1));
  if (units === 0n) return undefined;
  return log10Bigint(units) - (point < 0 ? 0 : text.length - point - 1);
}
