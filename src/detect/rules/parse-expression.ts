/**
 * Recursive-descent parser for rule expressions, with precedence climbing for the boolean
 * operators. Grammar (the README has it with examples):
 *
 *   expression = unary { ("OR" | "AND") unary }     -- AND binds tighter than OR
 *   unary      = "NOT" unary | "(" expression ")" | comparison
 *   comparison = operand [ operator operand ]
 *   operand    = path | number [ unit ] | string | "true" | "false" | "null"
 *   path       = name { "." name | "[" integer "]" | "[" "*" "]" }
 *
 * Comparisons do not chain (`1 < a < 2` is an error, not a surprise), and NOT applies to the
 * one condition after it (`NOT a == 1 AND b == 2` is `(NOT a == 1) AND b == 2`).
 */
import type { ComparisonNode, Expression, FieldSegment, Literal, Operand, PathNode, PathSegment } from './expression-ast.js';
import { RuleExpressionError, sourceLocation, type SourceSpan } from './rule-expression-error.js';
import { tokenize, type NumberToken, type Token } from './tokenize.js';

/** Binding power of each boolean operator; a higher number binds tighter. */
const precedence = { OR: 1, AND: 2 } as const;
type BooleanOperator = keyof typeof precedence;

/**
 * Nesting deeper than this is generated text, not a rule; the cap keeps a hostile rule from
 * overflowing the stack of the parser, the checker or the evaluator.
 */
export const maxNestingDepth = 64;

/** Unit suffixes for the native assets, as powers of ten of their base unit. Case-insensitive. */
export const units: ReadonlyMap<string, number> = new Map([
  ['wei', 0],
  ['gwei', 9],
  ['ether', 18],
  ['eth', 18],
  ['sat', 0],
  ['sats', 0],
  ['btc', 8],
]);

/** Indexes beyond this are not arrays a transaction has; the cap keeps them exact numbers. */
const maxIndex = 2 ** 31;

/** Parses `source` into a tree; throws RuleExpressionError (`RULE_SYNTAX`) and nothing else. */
export function parseExpression(source: string): Expression {
  return new Parser(source, tokenize(source)).parseAll();
}

class Parser {
  readonly #source: string;
  readonly #tokens: readonly Token[];
  #at = 0;
  #depth = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.#source = source;
    this.#tokens = tokens;
  }

  parseAll(): Expression {
    const expression = this.#binary(1);
    const token = this.#peek();
    if (token.type !== 'end') {
      if (token.type === 'operator') this.#fail('comparisons do not chain: join them with AND', token.span);
      this.#fail(`unexpected ${describe(token)}: expected AND, OR or the end of the expression`, token.span);
    }
    return expression;
  }

  /** Precedence climbing: operators at least as tight as `minimum` belong to this level. */
  #binary(minimum: number): Expression {
    let left = this.#unary();
    /** The operator of the chain `left` is, when this loop built it (parenthesized chains stay closed). */
    let chain: BooleanOperator | undefined;
    for (;;) {
      const operator = this.#booleanOperator();
      if (operator === undefined || precedence[operator] < minimum) return left;
      this.#at += 1;
      const right = this.#binary(precedence[operator] + 1);
      const type = operator === 'AND' ? 'and' : 'or';
      const operands = chain === operator && left.type === type ? [...left.operands, right] : [left, right];
      left = { type, operands, span: { start: left.span.start, end: right.span.end } };
      chain = operator;
    }
  }

  #booleanOperator(): BooleanOperator | undefined {
    const token = this.#peek();
    return token.type === 'keyword' && (token.keyword === 'AND' || token.keyword === 'OR') ? token.keyword : undefined;
  }

  #unary(): Expression {
    const token = this.#peek();
    if (token.type === 'keyword' && token.keyword === 'NOT') {
      this.#at += 1;
      const operand = this.#nested(() => this.#unary(), token.span);
      return { type: 'not', operand, span: { start: token.span.start, end: operand.span.end } };
    }
    if (token.type === 'punctuation' && token.char === '(') {
      this.#at += 1;
      const inner = this.#nested(() => this.#binary(1), token.span);
      const close = this.#peek();
      if (close.type !== 'punctuation' || close.char !== ')') {
        this.#fail(`expected ) to close the ( at column ${sourceLocation(this.#source, token.span.start).column}, found ${describe(close)}`, close.span);
      }
      this.#at += 1;
      const after = this.#peek();
      if (after.type === 'operator') this.#fail('a parenthesized condition cannot be compared: compare fields or values', after.span);
      return inner;
    }
    return this.#comparison();
  }

  #nested<T>(parse: () => T, span: SourceSpan): T {
    this.#depth += 1;
    if (this.#depth > maxNestingDepth) this.#fail(`expression nests deeper than ${maxNestingDepth} levels`, span);
    const result = parse();
    this.#depth -= 1;
    return result;
  }

  #comparison(): Expression {
    const left = this.#operand();
    const token = this.#peek();
    if (token.type !== 'operator') return left;
    this.#at += 1;
    const right = this.#operand();
    const node: ComparisonNode = { type: 'compare', operator: token.operator, operatorSpan: token.span, left, right, span: { start: left.span.start, end: right.span.end } };
    return node;
  }

  #operand(): Operand {
    const token = this.#next();
    switch (token.type) {
      case 'name':
        return this.#path(token);
      case 'number':
        return this.#number(token);
      case 'string':
        return { type: 'string', value: token.value, span: token.span };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') return { type: 'boolean', value: token.keyword === 'TRUE', span: token.span };
        if (token.keyword === 'NULL') return { type: 'null', span: token.span };
        return this.#fail(`expected a field or a value, found ${describe(token)}`, token.span);
      case 'operator':
      case 'punctuation':
      case 'end':
        return this.#fail(`expected a field or a value, found ${describe(token)}`, token.span);
    }
  }

  #path(first: { readonly name: string; readonly span: SourceSpan }): PathNode {
    const head: FieldSegment = { type: 'field', name: first.name, span: first.span };
    const rest: PathSegment[] = [];
    let end = first.span.end;
    for (;;) {
      const token = this.#peek();
      if (token.type !== 'punctuation' || (token.char !== '.' && token.char !== '[')) break;
      this.#at += 1;
      if (token.char === '.') {
        const name = this.#next();
        if (name.type === 'number') this.#fail(`to index an array write [${this.#source.slice(name.span.start, name.span.end)}], not .${this.#source.slice(name.span.start, name.span.end)}`, name.span);
        if (name.type !== 'name') return this.#fail(`expected a field name after '.', found ${describe(name)}`, name.span);
        rest.push({ type: 'field', name: name.name, span: name.span });
        end = name.span.end;
        continue;
      }
      const inside = this.#next();
      let segment: { readonly type: 'each' } | { readonly type: 'index'; readonly index: number };
      if (inside.type === 'punctuation' && inside.char === '*') {
        segment = { type: 'each' };
      } else if (inside.type === 'number') {
        const value = this.#number(inside);
        if (value.type !== 'integer' || inside.scale !== 0 || value.span.end !== inside.span.end) return this.#fail('an index is a whole number such as [0] or [-1]', value.span);
        if (value.value >= maxIndex || value.value < -maxIndex) return this.#fail('index is too large', inside.span);
        segment = { type: 'index', index: Number(value.value) };
      } else {
        return this.#fail(`expected an index such as [0] or [*], found ${describe(inside)}`, inside.span);
      }
      const close = this.#next();
      if (close.type !== 'punctuation' || close.char !== ']') return this.#fail(`expected ] to close the index, found ${describe(close)}`, close.span);
      rest.push({ ...segment, span: { start: token.span.start, end: close.span.end } });
      end = close.span.end;
    }
    return { type: 'path', segments: [head, ...rest], span: { start: first.span.start, end } };
  }

  /** A number with its optional unit, reduced to an integer when it is one. */
  #number(token: NumberToken): Literal {
    let scale = token.scale;
    let end = token.span.end;
    const unit = this.#peek();
    const decimals = unit.type === 'name' ? units.get(unit.name.toLowerCase()) : undefined;
    if (unit.type === 'name' && decimals === undefined) {
      this.#fail(`unexpected '${unit.name}' after a number: a unit is one of ${[...units.keys()].join(', ')}, and a new condition needs AND or OR before it`, unit.span);
    }
    if (decimals !== undefined) {
      this.#at += 1;
      scale -= decimals;
      end = unit.span.end;
    }
    const span = { start: token.span.start, end };
    let mantissa = token.mantissa;
    if (scale <= 0) return { type: 'integer', value: mantissa * 10n ** BigInt(-scale), span };
    while (scale > 0 && mantissa % 10n === 0n) {
      mantissa /= 10n;
      scale -= 1;
    }
    if (scale === 0) return { type: 'integer', value: mantissa, span };
    if (decimals !== undefined) this.#fail(`${this.#source.slice(span.start, span.end)} is not a whole number of base units`, span);
    return { type: 'decimal', text: decimalText(mantissa, scale), span };
  }

  #peek(): Token {
    // The token list always ends with `end`, and the parser never moves past it.
    return this.#tokens[Math.min(this.#at, this.#tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.type !== 'end') this.#at += 1;
    return token;
  }

  #fail(reason: string, span: SourceSpan): never {
    throw new RuleExpressionError({ code: 'RULE_SYNTAX', reason, source: this.#source, span });
  }
}

/** `mantissa / 10^scale` as plain decimal text (`-0.025`), the one spelling the printer uses. */
export function decimalText(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'name':
      return `'${token.name}'`;
    case 'keyword':
      return token.keyword;
    case 'operator':
      return `'${token.operator}'`;
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'punctuation':
      return `'${token.char}'`;
    case 'end':
      return 'the end of the expression';
  }
}
