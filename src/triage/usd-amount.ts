/**
 * US dollar amounts as exact `bigint` cents. Impact inputs arrive as text (alert labels, config
 * files) and must never pass through a float: $12,345,678,901,234.56 has to stay exactly that.
 */

/** Why a piece of text is not a dollar amount; shown to the responder beside the alert it came from. */
export type UsdParseFailure = { readonly ok: false; readonly reason: string };
export type UsdParseResult = { readonly ok: true; readonly cents: bigint } | UsdParseFailure;

// Optional `$`, digits with or without thousands separators, an optional fraction.
const usdPattern = /^\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/**
 * Parses `2300000`, `2,300,000.50` or `$1,000` into cents. A fraction finer than a cent is refused
 * unless its extra digits are zeros, because rounding money silently would misstate the impact.
 */
export function parseUsdCents(text: string): UsdParseResult {
  const match = usdPattern.exec(text.trim());
  if (match === null) {
    return { ok: false, reason: `"${text}" is not a non-negative dollar amount such as 2300000 or 2,300,000.50` };
  }
  const whole = (match[1] ?? '0').replaceAll(',', '');
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) {
    return { ok: false, reason: `"${text}" has a fraction finer than a cent` };
  }
  return { ok: true, cents: BigInt(whole) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0')) };
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `$2,300,000` for whole dollars, `$2,300,000.50` otherwise. */
export function formatUsdCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  const dollars = groupThousands((abs / 100n).toString());
  const rest = abs % 100n;
  return rest === 0n ? `${sign}$${dollars}` : `${sign}$${dollars}.${rest.toString().padStart(2, '0')}`;
}

/** `12,345` for counts shown to people. */
export function formatCount(count: number): string {
  return Number.isSafeInteger(count) ? groupThousands(count.toString()) : count.toString();
}
