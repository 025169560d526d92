import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expression, FieldSegment, Operand, PathSegment } from './expression-ast.js';
import { decimalText, parseExpression } from './parse-expression.js';
import { printExpression } from './print-expression.js';

const span = { start: 0, end: 0 };

/** The tree without spans, which printing cannot keep. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span' && key !== 'operatorSpan').map(([key, v]) => [key, shape(v)]));
}

const keywords = new Set(['and', 'or', 'not', 'true', 'false', 'null', 'contains', 'starts_with', 'ends_with']);
const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((text) => !keywords.has(text.toLowerCase()));
const field: fc.Arbitrary<FieldSegment> = name.map((n) => ({ type: 'field', name: n, span }));
const segment: fc.Arbitrary<PathSegment> = fc.oneof(
  field,
  fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }).map((index) => ({ type: 'index' as const, index, span })),
  fc.constant({ type: 'each' as const, span }),
);
/** Any string, lone surrogate halves and control characters included. */
const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }));
const operand: fc.Arbitrary<Operand> = fc.oneof(
  fc.tuple(field, fc.array(segment, { maxLength: 4 })).map(([head, rest]) => ({ type: 'path' as const, segments: [head, ...rest] as const, span })),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map((value) => ({ type: 'integer' as const, value, span })),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((m) => m % 10n !== 0n), fc.integer({ min: 1, max: 40 }))
    .map(([mantissa, scale]) => ({ type: 'decimal' as const, text: decimalText(mantissa, scale), span })),
  text.map((value) => ({ type: 'string' as const, value, span })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value, span })),
  fc.constant({ type: 'null' as const, span }),
);
const operator = fc.constantFrom('>', '>=', '<', '<=', '==', '!=', 'contains', 'starts_with', 'ends_with' as const);

const { expression } = fc.letrec<{ expression: Expression; leaf: Expression; not: Expression; and: Expression; or: Expression }>((tie) => ({
  expression: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('not'), tie('and'), tie('or')),
  leaf: fc.oneof(
    fc.tuple(operand, operator, operand).map(([left, op, right]) => ({ type: 'compare' as const, operator: op, operatorSpan: span, left, right, span })),
    operand,
  ),
  not: tie('expression').map((inner) => ({ type: 'not' as const, operand: inner, span })),
  and: fc.array(tie('expression'), { minLength: 2, maxLength: 4 }).map((operands) => ({ type: 'and' as const, operands, span })),
  or: fc.array(tie('expression'), { minLength: 2, maxLength: 4 }).map((operands) => ({ type: 'or' as const, operands, span })),
}));

describe('printExpression', () => {
  it('writes the canonical spelling', () => {
    const canonical = (source: string): string => printExpression(parseExpression(source));
    expect(canonical("asset=='USDC'  and amount>1_000_000e6")).toBe('asset == "USDC" AND amount > 1000000000000');
    expect(canonical('(a == 1 OR b == 2) AND NOT (c == 3 OR d == 4)')).toBe('(a == 1 OR b == 2) AND NOT (c == 3 OR d == 4)');
    expect(canonical('((a == 1)) OR (b == 2 AND c == 3)')).toBe('a == 1 OR b == 2 AND c == 3');
    expect(canonical('a == 1 OR (b == 2 OR c == 3)')).toBe('a == 1 OR (b == 2 OR c == 3)');
    expect(canonical('logs[-1].topics[*] starts_with \'0x\' AND inputs.length >= 2')).toBe('logs[-1].topics[*] starts_with "0x" AND inputs.length >= 2');
    expect(canonical('x == "tab\\there \\"quoted\\" back\\\\slash"')).toBe('x == "tab\\there \\"quoted\\" back\\\\slash"');
    expect(canonical('amount > 1.5 ether AND block > 2.50')).toBe('amount > 1500000000000000000 AND block > 2.5');
    expect(canonical('TRUE')).toBe('true');
    expect(canonical('to == NULL')).toBe('to == null');
  });

  it('prints a tree that parses back to the same tree', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        expect(shape(parseExpression(printExpression(tree)))).toEqual(shape(tree));
      }),
      { numRuns: 2000 },
    );
  });

  it('is a fixed point: printing a reparsed print changes nothing', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        const once = printExpression(tree);
        expect(printExpression(parseExpression(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
