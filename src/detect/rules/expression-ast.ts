/**
 * The syntax tree of a rule expression, as the parser builds it and the printer writes it back.
 *
 * The tree keeps meaning, not spelling: `1.5 ether`, `1_500_000_000_000_000_000` and `15e17` are
 * the same integer node, parentheses leave no node behind (only the shape of the tree), and
 * `a AND b AND c` is one `and` node with three operands. That is what lets `print(parse(x))`
 * reparse to the same tree. Spans point back into the source for error messages only.
 */
import type { SourceSpan } from './rule-expression-error.js';

export type OrderingOperator = '>' | '>=' | '<' | '<=';
export type EqualityOperator = '==' | '!=';
/** Case-sensitive substring tests; addresses are lowercased in a Transaction, so rules write lowercase hex. */
export type StringOperator = 'contains' | 'starts_with' | 'ends_with';
export type ComparisonOperator = OrderingOperator | EqualityOperator | StringOperator;

/** A named field (`amount`, `topics`) or the `length` of an array or string. */
export interface FieldSegment {
  readonly type: 'field';
  readonly name: string;
  readonly span: SourceSpan;
}

/** `[2]`; a negative index counts from the end, as `Array.prototype.at` does (`outputs[-1]`). */
export interface IndexSegment {
  readonly type: 'index';
  readonly index: number;
  readonly span: SourceSpan;
}

/** `[*]`: every element; a comparison over it holds when it holds for at least one element. */
export interface EachSegment {
  readonly type: 'each';
  readonly span: SourceSpan;
}

export type PathSegment = FieldSegment | IndexSegment | EachSegment;

export interface PathNode {
  readonly type: 'path';
  /** Never empty, and the first segment is always a field: a path starts at the transaction. */
  readonly segments: readonly [FieldSegment, ...PathSegment[]];
  readonly span: SourceSpan;
}

/** An exact integer of any size: base units compare against it without rounding. */
export interface IntegerLiteral {
  readonly type: 'integer';
  readonly value: bigint;
  readonly span: SourceSpan;
}

/**
 * A number with a fractional part, kept as its canonical text (`1.5`, `-0.025`) so that it prints
 * back exactly. It compares only with number fields; see the README for why not with base units.
 */
export interface DecimalLiteral {
  readonly type: 'decimal';
  readonly text: string;
  readonly span: SourceSpan;
}

export interface StringLiteral {
  readonly type: 'string';
  readonly value: string;
  readonly span: SourceSpan;
}

export interface BooleanLiteral {
  readonly type: 'boolean';
  readonly value: boolean;
  readonly span: SourceSpan;
}

export interface NullLiteral {
  readonly type: 'null';
  readonly span: SourceSpan;
}

export type Literal = IntegerLiteral | DecimalLiteral | StringLiteral | BooleanLiteral | NullLiteral;
export type Operand = PathNode | Literal;

export interface ComparisonNode {
  readonly type: 'compare';
  readonly operator: ComparisonOperator;
  readonly operatorSpan: SourceSpan;
  readonly left: Operand;
  readonly right: Operand;
  readonly span: SourceSpan;
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: Expression;
  readonly span: SourceSpan;
}

/** Two or more operands; a chain `a AND b AND c` is one node, `a AND (b AND c)` is two. */
export interface AndNode {
  readonly type: 'and';
  readonly operands: readonly Expression[];
  readonly span: SourceSpan;
}

export interface OrNode {
  readonly type: 'or';
  readonly operands: readonly Expression[];
  readonly span: SourceSpan;
}

/** A bare operand is an expression too; the checker accepts it only when it is a boolean. */
export type Expression = OrNode | AndNode | NotNode | ComparisonNode | Operand;
