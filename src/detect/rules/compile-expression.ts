/**
 * Turns rule text into a predicate over transactions: tokenize, parse, type-check, then compile
 * the typed tree into nested closures.
 *
 * Closures rather than a tree-walking interpreter because a rule runs on every transaction of
 * every chain Vigil watches: all the deciding (which operator, which field, which literal) is
 * done once here, and what runs per transaction is a few property reads and one comparison per
 * leaf. No `eval` and no `new Function`: rule text comes from users and must never become code.
 *
 * Semantics the evaluator keeps (the README states them for rule authors):
 * - a comparison with a value that is missing (null field, index past the end, a field of the
 *   other kind of transaction) is false, whatever the operator; only `== null` / `!= null` see it;
 * - `[*]` is existential: the comparison holds when it holds for at least one element;
 * - base units compare exactly as bigint, counters as numbers, and a bigint against a number
 *   compares the two mathematical values (JavaScript's relational operators do that exactly).
 */
import type { Transaction } from '../../core/transaction.js';
import { checkExpression, type ComparisonDomain, type PathStep, type TypedExpression, type TypedOperand } from './check-expression.js';
import type { ComparisonOperator, Expression } from './expression-ast.js';
import { parseExpression } from './parse-expression.js';
import { printExpression } from './print-expression.js';
import type { TransactionKind } from './transaction-fields.js';

/** Answers whether one transaction matches; never throws, whatever the transaction holds. */
export type TransactionPredicate = (tx: Transaction) => boolean;

export interface CompiledExpression {
  /** The text as the rule author wrote it. */
  readonly source: string;
  /** The same expression in canonical form (see printExpression). */
  readonly canonical: string;
  readonly ast: Expression;
  /** The kind the expression was checked for; absent when it was checked against both. */
  readonly kind?: TransactionKind;
  readonly matches: TransactionPredicate;
}

export interface CompileOptions {
  /** Check against this kind only, and match only transactions of this kind. */
  readonly kind?: TransactionKind;
}

/**
 * Compiles `source`; throws RuleExpressionError (`RULE_SYNTAX`, `RULE_UNKNOWN_FIELD`,
 * `RULE_TYPE`) with the line and column of the first problem.
 */
export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  const ast = parseExpression(source);
  const typed = checkExpression(ast, { source, ...(options.kind === undefined ? {} : { kind: options.kind }) });
  const predicate = compileTyped(typed);
  const kind = options.kind;
  if (kind === undefined) return { source, canonical: printExpression(ast), ast, matches: predicate };
  return { source, canonical: printExpression(ast), ast, kind, matches: (tx) => tx.kind === kind && predicate(tx) };
}

/** Anything a path can reach; the checker has already decided what it will be. */
type Root = unknown;
type Predicate = (root: Root) => boolean;
type Getter = (root: Root) => unknown;
/** Calls `visit` with each value the path reaches until one returns true; says whether one did. */
type Each = (root: Root, visit: (value: unknown) => boolean) => boolean;
type Binary = (a: unknown, b: unknown) => boolean;

function compileTyped(expression: TypedExpression): Predicate {
  switch (expression.type) {
    case 'constant': {
      const value = expression.value;
      return () => value;
    }
    case 'not': {
      const operand = compileTyped(expression.operand);
      return (root) => !operand(root);
    }
    case 'and':
    case 'or': {
      const operands = expression.operands.map(compileTyped);
      const [a, b, c] = operands;
      const all = expression.type === 'and';
      // Short chains get straight-line closures; the loop is for the rare long one.
      if (operands.length === 2 && a !== undefined && b !== undefined) return all ? (root) => a(root) && b(root) : (root) => a(root) || b(root);
      if (operands.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
        return all ? (root) => a(root) && b(root) && c(root) : (root) => a(root) || b(root) || c(root);
      }
      return all ? (root) => operands.every((p) => p(root)) : (root) => operands.some((p) => p(root));
    }
    case 'compare':
      return compileComparison({ operator: expression.operator, domain: expression.domain, left: expression.left, right: expression.right });
  }
}

interface ComparisonParts {
  readonly operator: ComparisonOperator;
  readonly domain: ComparisonDomain;
  readonly left: TypedOperand;
  readonly right: TypedOperand;
}

function compileComparison({ operator, domain, left, right }: ComparisonParts): Predicate {
  const test = binary(operator, domain);
  if (left.type === 'literal' && right.type === 'literal') {
    const value = test(left.value, right.value);
    return () => value;
  }
  if (left.type === 'path' && !left.each && right.type === 'literal') {
    const get = getter(left.steps);
    const constant = right.value;
    return (root) => test(get(root), constant);
  }
  if (left.type === 'literal' && right.type === 'path' && !right.each) {
    const get = getter(right.steps);
    const constant = left.value;
    return (root) => test(constant, get(root));
  }
  if (left.type === 'path' && right.type === 'path' && !left.each && !right.each) {
    const getLeft = getter(left.steps);
    const getRight = getter(right.steps);
    return (root) => test(getLeft(root), getRight(root));
  }
  // A wildcard on either side: try every value the left reaches against every value the right does.
  const eachLeft = eachOf(left);
  const eachRight = eachOf(right);
  return (root) => eachLeft(root, (a) => eachRight(root, (b) => test(a, b)));
}

/** The operator as a function of two values, false whenever one is missing or not of its domain. */
function binary(operator: ComparisonOperator, domain: ComparisonDomain): Binary {
  switch (domain) {
    case 'presence':
      // One side is the null literal: `x == null` holds when x is missing, `x != null` when it is there.
      return operator === '==' ? (a, b) => isAbsent(a) && isAbsent(b) : (a, b) => isAbsent(a) !== isAbsent(b);
    case 'boolean':
      return operator === '==' ? (a, b) => typeof a === 'boolean' && a === b : (a, b) => typeof a === 'boolean' && typeof b === 'boolean' && a !== b;
    case 'string':
      switch (operator) {
        case '==':
          return (a, b) => typeof a === 'string' && a === b;
        case '!=':
          return (a, b) => typeof a === 'string' && typeof b === 'string' && a !== b;
        case 'contains':
          return (a, b) => typeof a === 'string' && typeof b === 'string' && a.includes(b);
        case 'starts_with':
          return (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
        case 'ends_with':
          return (a, b) => typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
        default:
          return () => false;
      }
    case 'numeric':
      switch (operator) {
        case '>':
          return (a, b) => isNumber(a) && isNumber(b) && a > b;
        case '>=':
          return (a, b) => isNumber(a) && isNumber(b) && a >= b;
        case '<':
          return (a, b) => isNumber(a) && isNumber(b) && a < b;
        case '<=':
          return (a, b) => isNumber(a) && isNumber(b) && a <= b;
        case '==':
          return (a, b) => isNumber(a) && isNumber(b) && numbersEqual(a, b);
        case '!=':
          return (a, b) => isNumber(a) && isNumber(b) && !numbersEqual(a, b);
        default:
          return () => false;
      }
  }
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}

function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Exact equality across bigint and number. `===` says `1n !== 1`, and converting either side
 * loses: Number(2n ** 53n + 1n) is 2 ** 53. A number equals a bigint only when it is an integer
 * of exactly that value.
 */
function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint') return typeof b === 'bigint' ? a === b : Number.isInteger(b) && a === BigInt(b);
  return typeof b === 'number' ? a === b : Number.isInteger(a) && BigInt(a) === b;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** A path without `[*]` as one function from the transaction to the value (undefined when missing). */
function getter(steps: readonly PathStep[]): Getter {
  let get: Getter | undefined;
  for (const step of steps) {
    const previous = get;
    switch (step.type) {
      case 'field': {
        const name = step.name;
        // The transaction itself is always an object: the first read needs no guard.
        get =
          previous === undefined
            ? (root) => (root as Readonly<Record<string, unknown>>)[name]
            : (root) => {
                const value = previous(root);
                return isRecord(value) ? value[name] : undefined;
              };
        break;
      }
      case 'index': {
        const index = step.index;
        const from = previous ?? identity;
        get = (root) => {
          const value = from(root);
          return isList(value) ? value.at(index) : undefined;
        };
        break;
      }
      case 'length': {
        const from = previous ?? identity;
        get = (root) => lengthOf(from(root));
        break;
      }
      case 'each':
        throw new Error('a path with [*] is compiled by eachOf');
    }
  }
  return get ?? identity;
}

/** Every value an operand reaches: one for a literal or a plain path, any number through `[*]`. */
function eachOf(operand: TypedOperand): Each {
  if (operand.type === 'literal') {
    const value = operand.value;
    return (_root, visit) => visit(value);
  }
  let run: Each = (value, visit) => visit(value);
  for (let i = operand.steps.length - 1; i >= 0; i -= 1) {
    const step = operand.steps[i];
    const next = run;
    if (step === undefined) continue;
    switch (step.type) {
      case 'field': {
        const name = step.name;
        run = (value, visit) => next(isRecord(value) ? value[name] : undefined, visit);
        break;
      }
      case 'index': {
        const index = step.index;
        run = (value, visit) => next(isList(value) ? value.at(index) : undefined, visit);
        break;
      }
      case 'length':
        run = (value, visit) => next(lengthOf(value), visit);
        break;
      case 'each':
        run = (value, visit) => {
          if (!isList(value)) return false;
          for (const element of value) if (next(element, visit)) return true;
          return false;
        };
        break;
    }
  }
  return run;
}

function lengthOf(value: unknown): number | undefined {
  return isList(value) || typeof value === 'string' ? value.length : undefined;
}

function identity(value: unknown): unknown {
  return value;
}
