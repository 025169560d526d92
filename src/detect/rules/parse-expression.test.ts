import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expression } from './expression-ast.js';
import { maxNestingDepth, parseExpression } from './parse-expression.js';
import { RuleExpressionError } from './rule-expression-error.js';

/** The tree without spans: what the expression means, for comparing shapes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span' && key !== 'operatorSpan').map(([key, v]) => [key, shape(v)]));
}

const parsed = (source: string): unknown => shape(parseExpression(source));
const path = (...names: string[]) => ({ type: 'path', segments: names.map((name) => ({ type: 'field', name })) });
const compare = (left: unknown, operator: string, right: unknown) => ({ type: 'compare', operator, left, right });
const int = (value: bigint) => ({ type: 'integer', value });
const a = compare(path('a'), '==', int(1n));
const b = compare(path('b'), '==', int(2n));
const c = compare(path('c'), '==', int(3n));

function syntaxError(source: string): RuleExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof RuleExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe('parseExpression', () => {
  it('binds AND tighter than OR on either side', () => {
    expect(parsed('a == 1 OR b == 2 AND c == 3')).toEqual({ type: 'or', operands: [a, { type: 'and', operands: [b, c] }] });
    expect(parsed('a == 1 AND b == 2 OR c == 3')).toEqual({ type: 'or', operands: [{ type: 'and', operands: [a, b] }, c] });
  });

  it('lets parentheses override precedence and keeps a parenthesized chain as its own node', () => {
    expect(parsed('(a == 1 OR b == 2) AND c == 3')).toEqual({ type: 'and', operands: [{ type: 'or', operands: [a, b] }, c] });
    expect(parsed('a == 1 OR (b == 2 OR c == 3)')).toEqual({ type: 'or', operands: [a, { type: 'or', operands: [b, c] }] });
    expect(parsed('((a == 1))')).toEqual(a);
  });

  it('flattens an unparenthesized chain of one operator into one node', () => {
    expect(parsed('a == 1 AND b == 2 AND c == 3')).toEqual({ type: 'and', operands: [a, b, c] });
    expect(parsed('a == 1 or b == 2 Or c == 3')).toEqual({ type: 'or', operands: [a, b, c] });
  });

  it('reads keywords in any case', () => {
    expect(parsed('a == 1 and not b == 2')).toEqual(parsed('a == 1 AND NOT b == 2'));
    expect(parsed('x contains "a" AND y STARTS_WITH "b" AND z Ends_With "c"')).toEqual({
      type: 'and',
      operands: [compare(path('x'), 'contains', { type: 'string', value: 'a' }), compare(path('y'), 'starts_with', { type: 'string', value: 'b' }), compare(path('z'), 'ends_with', { type: 'string', value: 'c' })],
    });
    expect(parsed('TRUE OR False OR null == x')).toEqual({
      type: 'or',
      operands: [{ type: 'boolean', value: true }, { type: 'boolean', value: false }, compare({ type: 'null' }, '==', path('x'))],
    });
  });

  it('applies NOT to the one condition after it', () => {
    expect(parsed('NOT a == 1 AND b == 2')).toEqual({ type: 'and', operands: [{ type: 'not', operand: a }, b] });
    expect(parsed('NOT (a == 1 AND b == 2)')).toEqual({ type: 'not', operand: { type: 'and', operands: [a, b] } });
    expect(parsed('NOT NOT a == 1')).toEqual({ type: 'not', operand: { type: 'not', operand: a } });
  });

  it('reads every comparison operator', () => {
    for (const operator of ['>', '>=', '<', '<=', '==', '!=']) expect(parsed(`a ${operator} 1`)).toEqual(compare(path('a'), operator, int(1n)));
    expect(parsed('a>=1')).toEqual(compare(path('a'), '>=', int(1n)));
  });

  it('reads dot paths, indexes from either end and wildcards', () => {
    expect(parsed('logs[0].topics[-1] == "x"')).toMatchObject({
      left: {
        type: 'path',
        segments: [
          { type: 'field', name: 'logs' },
          { type: 'index', index: 0 },
          { type: 'field', name: 'topics' },
          { type: 'index', index: -1 },
        ],
      },
    });
    expect(parsed('outputs[*].amount > 0')).toMatchObject({ left: { segments: [{ type: 'field', name: 'outputs' }, { type: 'each' }, { type: 'field', name: 'amount' }] } });
    expect(parsed('inputs.length > 0')).toMatchObject({ left: path('inputs', 'length') });
  });

  it('keeps integers of any size exact', () => {
    expect(parsed('amount > 1000000000000000000000')).toEqual(compare(path('amount'), '>', int(1_000_000_000_000_000_000_000n)));
    expect(parsed('amount == 9007199254740993')).toEqual(compare(path('amount'), '==', int(9_007_199_254_740_993n)));
    const huge = '115792089237316195423570985008687907853269984665640564039457584007913129639935';
    expect(parsed(`amount <= ${huge}`)).toEqual(compare(path('amount'), '<=', int(2n ** 256n - 1n)));
    expect(parsed('a > -42')).toEqual(compare(path('a'), '>', int(-42n)));
  });

  it('reads separators, exponents and units as exact integers', () => {
    expect(parsed('amount > 1_000_000')).toEqual(parsed('amount > 1000000'));
    expect(parsed('amount > 1_000_000e6')).toEqual(compare(path('amount'), '>', int(1_000_000_000_000n)));
    expect(parsed('amount > 1.5e18')).toEqual(compare(path('amount'), '>', int(1_500_000_000_000_000_000n)));
    expect(parsed('amount > 1.5 ether')).toEqual(compare(path('amount'), '>', int(1_500_000_000_000_000_000n)));
    expect(parsed('amount > 1.5ETH')).toEqual(compare(path('amount'), '>', int(1_500_000_000_000_000_000n)));
    expect(parsed('fee > 30 gwei')).toEqual(compare(path('fee'), '>', int(30_000_000_000n)));
    expect(parsed('amount >= 0.5 btc')).toEqual(compare(path('amount'), '>=', int(50_000_000n)));
    expect(parsed('amount >= 546 sat')).toEqual(compare(path('amount'), '>=', int(546n)));
    expect(parsed('amount > 2.50')).toEqual(compare(path('amount'), '>', { type: 'decimal', text: '2.5' }));
    expect(parsed('amount > 25e-3')).toEqual(compare(path('amount'), '>', { type: 'decimal', text: '0.025' }));
    expect(parsed('amount > -0.5')).toEqual(compare(path('amount'), '>', { type: 'decimal', text: '-0.5' }));
  });

  it('reads strings in either quote with escapes', () => {
    const value = (source: string): unknown => (parsed(`x == ${source}`) as { right: unknown }).right;
    expect(value(`'it\\'s'`)).toEqual({ type: 'string', value: "it's" });
    expect(value(`"say \\"hi\\""`)).toEqual({ type: 'string', value: 'say "hi"' });
    expect(value(`"a'b"`)).toEqual({ type: 'string', value: "a'b" });
    expect(value(`'a"b'`)).toEqual({ type: 'string', value: 'a"b' });
    expect(value(`"\\\\ \\n \\r \\t \\0"`)).toEqual({ type: 'string', value: '\\ \n \r \t \0' });
    expect(value(`"\\u00e9\\u{1F600}"`)).toEqual({ type: 'string', value: 'é😀' });
    expect(value(`''`)).toEqual({ type: 'string', value: '' });
  });

  it('allows line breaks between tokens, as a YAML block scalar has them', () => {
    expect(parsed('a == 1\n  AND b == 2\r\n  AND c == 3')).toEqual({ type: 'and', operands: [a, b, c] });
  });

  it('records spans that point back at the source', () => {
    const source = 'asset == "USDC" AND amount > 5';
    const tree = parseExpression(source) as Extract<Expression, { type: 'and' }>;
    const second = tree.operands[1] as Extract<Expression, { type: 'compare' }>;
    expect(source.slice(second.span.start, second.span.end)).toBe('amount > 5');
    expect(source.slice(second.operatorSpan.start, second.operatorSpan.end)).toBe('>');
  });
});

describe('parseExpression errors', () => {
  const cases: readonly [source: string, line: number, column: number, reason: RegExp][] = [
    ['', 1, 1, /expected a field or a value, found the end/],
    ['a == 1 AND', 1, 11, /expected a field or a value/],
    ['(a == 1', 1, 8, /expected \) to close the \( at column 1/],
    ['a == 1)', 1, 7, /unexpected '\)'/],
    ['a < b < c', 1, 7, /comparisons do not chain/],
    ['a = 1', 1, 3, /use == to compare/],
    ['a == 1 && b == 2', 1, 8, /use AND/],
    ['a == 1 || b == 2', 1, 8, /use OR/],
    ['!a', 1, 1, /use NOT/],
    ['to == 0xdead', 1, 7, /hex values are strings here: quote them/],
    ['x == "abc', 1, 6, /string is not closed/],
    ['x == "a\\qb"', 1, 8, /unknown escape \\q/],
    ['x == "\\u12"', 1, 7, /\\u takes four hex digits/],
    ['amount > 5 dollars', 1, 12, /unexpected 'dollars' after a number: a unit is one of wei, gwei/],
    ['amount > 1.5 wei', 1, 10, /1\.5 wei is not a whole number of base units/],
    ['amount > 1__0', 1, 11, /'_' separates digits/],
    ['logs.0.address == "x"', 1, 6, /to index an array write \[0\]/],
    ['logs[1.5].address == "x"', 1, 6, /an index is a whole number/],
    ['logs[a] == "x"', 1, 6, /expected an index such as \[0\] or \[\*\]/],
    ['logs[0 == "x"', 1, 8, /expected \] to close the index/],
    ['(a) > 1', 1, 5, /a parenthesized condition cannot be compared/],
    ['a == 1 b == 2', 1, 8, /a new condition needs AND or OR before it/],
    ['a == "x" b == 2', 1, 10, /unexpected 'b': expected AND, OR or the end/],
    ['a == #', 1, 6, /unexpected character '#'/],
    ['a == 1e99999', 1, 7, /exponent is too large/],
    ['a == 1\n  AND b == ', 2, 12, /expected a field or a value/],
    ['a == 1\n\tAND = 2', 2, 6, /use == to compare/],
  ];

  it.each(cases)('%j fails at %i:%i', (source, line, column, reason) => {
    const error = syntaxError(source);
    expect(error.code).toBe('RULE_SYNTAX');
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(`RULE_SYNTAX at ${line}:${column}: `);
  });

  it('shows the line with a caret under the offending text', () => {
    expect(syntaxError('amount > 5 dollars').excerpt).toBe('  amount > 5 dollars\n             ^^^^^^^');
    // The tab is kept in the caret line so the caret lines up in any tab width.
    expect(syntaxError('a == 1\n\tAND = 2').excerpt).toBe('  \tAND = 2\n  \t    ^');
    expect(syntaxError('a == ').excerpt).toBe('  a == \n       ^');
  });

  it('counts columns in characters, not UTF-16 units', () => {
    const error = syntaxError('x == "😀" #');
    expect(error.column).toBe(10);
  });

  it('refuses nesting deeper than the cap instead of overflowing the stack', () => {
    const deep = `${'('.repeat(maxNestingDepth + 1)}a == 1${')'.repeat(maxNestingDepth + 1)}`;
    expect(syntaxError(deep).reason).toMatch(/nests deeper than/);
    expect(syntaxError(`${'NOT '.repeat(10_000)}a == 1`).reason).toMatch(/nests deeper than/);
    const ok = `${'('.repeat(maxNestingDepth)}a == 1${')'.repeat(maxNestingDepth)}`;
    expect(parsed(ok)).toEqual(a);
  });

  it('parses a long flat chain without recursion trouble', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `a == ${i}`).join(' OR ');
    expect((parseExpression(long) as Extract<Expression, { type: 'or' }>).operands).toHaveLength(5000);
  });
});

describe('parseExpression on arbitrary text', () => {
  /** Fragments that reach deep into the grammar, so random text is not rejected at the first character. */
  const fragments = [
    'amount', 'logs', 'topics', 'x', '.', '[', ']', '*', '(', ')', ' ', '\n', '\t', 'AND', 'or', 'NOT', 'true', 'null',
    '==', '!=', '>', '>=', '<', '<=', '=', '!', '&&', 'contains', 'starts_with', '0', '1', '-', '_', 'e', '1.5', '9e999',
    'ether', 'wei', '"', "'", '\\', '\\u', '\\u{', '0x', 'é', '😀', '\uD800', '#',
  ];
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join('')));

  it('returns a tree or throws RuleExpressionError, never anything else', () => {
    fc.assert(
      fc.property(text, (source) => {
        try {
          parseExpression(source);
        } catch (error) {
          if (!(error instanceof RuleExpressionError)) throw error;
          expect(error.code).toBe('RULE_SYNTAX');
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.column).toBeGreaterThanOrEqual(1);
          expect(error.excerpt).toContain('^');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
