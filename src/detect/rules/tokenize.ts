/**
 * Splits a rule expression into tokens. Hand-written rather than regex-driven so that every
 * mistake a person makes (a single `=`, `&&` from another language, an unquoted address, an
 * unknown escape) gets its own message at its own column.
 */
import type { ComparisonOperator } from './expression-ast.js';
import { RuleExpressionError, type SourceSpan } from './rule-expression-error.js';

export type Keyword = 'AND' | 'OR' | 'NOT' | 'TRUE' | 'FALSE' | 'NULL';
export type Punctuation = '(' | ')' | '[' | ']' | '.' | '*';

/**
 * A number exactly as written: its value is `mantissa / 10^scale`. The parser applies a unit
 * suffix and decides whether it is an integer, which is why no rounding happens here.
 */
export interface NumberToken {
  readonly type: 'number';
  readonly mantissa: bigint;
  readonly scale: number;
  readonly span: SourceSpan;
}

export type Token =
  | { readonly type: 'name'; readonly name: string; readonly span: SourceSpan }
  | { readonly type: 'keyword'; readonly keyword: Keyword; readonly span: SourceSpan }
  | { readonly type: 'operator'; readonly operator: ComparisonOperator; readonly span: SourceSpan }
  | { readonly type: 'string'; readonly value: string; readonly span: SourceSpan }
  | { readonly type: 'punctuation'; readonly char: Punctuation; readonly span: SourceSpan }
  | NumberToken
  | { readonly type: 'end'; readonly span: SourceSpan };

/** Keywords and word operators are case-insensitive: `and`, `AND` and `And` read the same. */
const words: ReadonlyMap<string, { keyword: Keyword } | { operator: ComparisonOperator }> = new Map<
  string,
  { keyword: Keyword } | { operator: ComparisonOperator }
>([
  ['and', { keyword: 'AND' }],
  ['or', { keyword: 'OR' }],
  ['not', { keyword: 'NOT' }],
  ['true', { keyword: 'TRUE' }],
  ['false', { keyword: 'FALSE' }],
  ['null', { keyword: 'NULL' }],
  ['contains', { operator: 'contains' }],
  ['starts_with', { operator: 'starts_with' }],
  ['ends_with', { operator: 'ends_with' }],
]);

/**
 * More digits than this is not a number anyone means (a uint256 has 78); the cap keeps
 * `1e999999999` from allocating a bigint the size of the heap.
 */
export const maxNumberDigits = 1000;

const simpleEscapes: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
};

/** The tokens of `source`, ending with one `end` token; throws RuleExpressionError on bad text. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (reason: string, start: number, end = start + 1): never => {
    throw new RuleExpressionError({ code: 'RULE_SYNTAX', reason, source, span: { start, end } });
  };
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    const start = i;
    const next = source.charAt(i + 1);
    if (isDigit(c) || (c === '-' && isDigit(next))) {
      const token = readNumber({ source, start, fail });
      tokens.push(token);
      i = token.span.end;
      continue;
    }
    if (isNameStart(c)) {
      while (i < source.length && isNamePart(source.charAt(i))) i += 1;
      const name = source.slice(start, i);
      const word = words.get(name.toLowerCase());
      const span = { start, end: i };
      if (word === undefined) tokens.push({ type: 'name', name, span });
      else if ('keyword' in word) tokens.push({ type: 'keyword', keyword: word.keyword, span });
      else tokens.push({ type: 'operator', operator: word.operator, span });
      continue;
    }
    if (c === '"' || c === "'") {
      const token = readString({ source, start, fail });
      tokens.push(token);
      i = token.span.end;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '>=' || two === '<=' || two === '==' || two === '!=') {
      tokens.push({ type: 'operator', operator: two, span: { start, end: i + 2 } });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<') {
      tokens.push({ type: 'operator', operator: c, span: { start, end: i + 1 } });
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === '.' || c === '*') {
      tokens.push({ type: 'punctuation', char: c, span: { start, end: i + 1 } });
      i += 1;
      continue;
    }
    if (two === '&&') fail('use AND to join conditions', start, start + 2);
    if (two === '||') fail('use OR to join conditions', start, start + 2);
    if (c === '!') fail('use NOT to negate a condition, or != to compare', start);
    if (c === '=') fail('use == to compare for equality', start);
    const codePoint = source.codePointAt(i) ?? 0;
    const shown = codePoint < 0x20 || codePoint === 0x7f ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(codePoint)}'`;
    fail(`unexpected character ${shown}`, start, start + (codePoint > 0xffff ? 2 : 1));
  }
  tokens.push({ type: 'end', span: { start: source.length, end: source.length } });
  return tokens;
}

type Fail = (reason: string, start: number, end?: number) => never;

interface ReadOptions {
  readonly source: string;
  readonly start: number;
  readonly fail: Fail;
}

/** `-?digits[.digits][e[+-]digits]`, with `_` allowed between digits (`1_000_000`). */
function readNumber({ source, start, fail }: ReadOptions): NumberToken {
  let i = start;
  const negative = source.charAt(i) === '-';
  if (negative) i += 1;
  if (source.charAt(i) === '0' && (source.charAt(i + 1) === 'x' || source.charAt(i + 1) === 'X')) {
    let end = i + 2;
    while (end < source.length && isNamePart(source.charAt(end))) end += 1;
    fail("hex values are strings here: quote them, as in '0xdac17f958d2ee523a2206206994597c13d831ec7'", start, end);
  }
  const readDigits = (): string => {
    const first = i;
    while (i < source.length && (isDigit(source.charAt(i)) || (source.charAt(i) === '_' && isDigit(source.charAt(i - 1)) && isDigit(source.charAt(i + 1))))) i += 1;
    return source.slice(first, i).replaceAll('_', '');
  };
  const whole = readDigits();
  let fraction = '';
  if (source.charAt(i) === '.' && isDigit(source.charAt(i + 1))) {
    i += 1;
    fraction = readDigits();
  }
  let exponent = 0;
  const e = source.charAt(i);
  const afterE = source.charAt(i + 1);
  if ((e === 'e' || e === 'E') && (isDigit(afterE) || ((afterE === '+' || afterE === '-') && isDigit(source.charAt(i + 2))))) {
    const exponentStart = i;
    i += afterE === '+' || afterE === '-' ? 2 : 1;
    const digits = readDigits();
    if (digits.replace(/^0+/, '').length > 4) fail('exponent is too large', exponentStart, i);
    exponent = Number(digits) * (afterE === '-' ? -1 : 1);
  }
  if (source.charAt(i) === '_') fail("'_' separates digits and must have a digit on each side", i);
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  if (digits.length > maxNumberDigits || Math.abs(exponent) > maxNumberDigits) fail(`number has more than ${maxNumberDigits} digits`, start, i);
  const magnitude = BigInt(digits);
  return { type: 'number', mantissa: negative ? -magnitude : magnitude, scale: fraction.length - exponent, span: { start, end: i } };
}

/** Single- or double-quoted, on one line, with JSON-like escapes plus `\'` and `\u{…}`. */
function readString({ source, start, fail }: ReadOptions): Token {
  const quote = source.charAt(start);
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= source.length || source.charAt(i) === '\n') fail(`string is not closed: add the closing ${quote}`, start, i);
    const c = source.charAt(i);
    if (c === quote) return { type: 'string', value, span: { start, end: i + 1 } };
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const escape = source.charAt(i + 1);
    const simple = Object.hasOwn(simpleEscapes, escape) ? simpleEscapes[escape] : undefined;
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    if (escape === 'u') {
      const braced = source.charAt(i + 2) === '{';
      const match = braced ? /^\{([0-9a-fA-F]{1,6})\}/.exec(source.slice(i + 2)) : /^[0-9a-fA-F]{4}/.exec(source.slice(i + 2));
      const hex = braced ? match?.[1] : match?.[0];
      const codePoint = hex === undefined ? undefined : Number.parseInt(hex, 16);
      if (match === null || codePoint === undefined || codePoint > 0x10ffff) {
        fail('\\u takes four hex digits (\\u00e9) or a code point in braces (\\u{1F600})', i, i + 2);
      } else {
        value += String.fromCodePoint(codePoint);
        i += 2 + match[0].length;
        continue;
      }
    }
    fail(`unknown escape \\${escape}: use \\\\ \\' \\" \\n \\r \\t \\0 or \\u`, i, i + 2);
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isNamePart(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
