/**
 * Type-checks a parsed expression against the transaction fields, once, when a rule is loaded.
 *
 * Everything that can be wrong with a rule short of the data itself is found here, so a rule
 * that loads never fails on a transaction: an unknown field, text compared with a number,
 * `contains` on an amount, a fraction compared with base units, a status that does not exist.
 * The output is a typed tree the compiler turns into closures without looking anything up.
 */
import type { ComparisonNode, ComparisonOperator, Expression, Operand, PathNode } from './expression-ast.js';
import { printPath } from './print-expression.js';
import { RuleExpressionError, type RuleExpressionErrorCode, type SourceSpan } from './rule-expression-error.js';
import { ownField, transactionFields, transactionKinds, type FieldSpec, type FieldType, type TransactionKind } from './transaction-fields.js';

/** One step from a value to a part of it, resolved against the schema. */
export type PathStep =
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'length' }
  | { readonly type: 'each' };

/** What a comparison compares: numbers (base units or counters), text, booleans, or presence. */
export type ComparisonDomain = 'numeric' | 'string' | 'boolean' | 'presence';

export type TypedOperand =
  | { readonly type: 'literal'; readonly value: bigint | number | string | boolean | null }
  | { readonly type: 'path'; readonly steps: readonly PathStep[]; readonly each: boolean };

export type TypedExpression =
  | { readonly type: 'and' | 'or'; readonly operands: readonly TypedExpression[] }
  | { readonly type: 'not'; readonly operand: TypedExpression }
  | { readonly type: 'constant'; readonly value: boolean }
  | { readonly type: 'compare'; readonly operator: ComparisonOperator; readonly domain: ComparisonDomain; readonly left: TypedOperand; readonly right: TypedOperand };

export interface CheckOptions {
  /** The text the tree was parsed from, for error excerpts. */
  readonly source: string;
  /** The kind of transaction the rule is for; when absent the rule is checked against both. */
  readonly kind?: TransactionKind;
}

/** The typed form of `expression`; throws RuleExpressionError (`RULE_UNKNOWN_FIELD`, `RULE_TYPE`). */
export function checkExpression(expression: Expression, options: CheckOptions): TypedExpression {
  return new Checker(options.source, options.kind).check(expression);
}

/** What the checker knows about one side of a comparison. */
interface OperandInfo {
  readonly span: SourceSpan;
  readonly typed: TypedOperand;
  readonly class: 'bigint' | 'number' | 'integer' | 'decimal' | 'string' | 'boolean' | 'null' | 'array' | 'object';
  /** For an enumerated text field, the only values it can hold. */
  readonly values?: readonly string[];
  /** True when the value can be null or missing (nullable field, index past the end). */
  readonly absent: boolean;
  /** How messages name it: `amount`, `"abc"`, `1.5`. */
  readonly label: string;
}

class Checker {
  readonly #source: string;
  readonly #kinds: readonly TransactionKind[];
  readonly #kind: TransactionKind | undefined;

  constructor(source: string, kind: TransactionKind | undefined) {
    this.#source = source;
    this.#kind = kind;
    this.#kinds = kind === undefined ? transactionKinds : [kind];
  }

  check(expression: Expression): TypedExpression {
    switch (expression.type) {
      case 'and':
      case 'or':
        return { type: expression.type, operands: expression.operands.map((operand) => this.check(operand)) };
      case 'not':
        return { type: 'not', operand: this.check(expression.operand) };
      case 'compare':
        return this.#compare(expression);
      case 'boolean':
        return { type: 'constant', value: expression.value };
      case 'path': {
        const info = this.#operand(expression);
        return this.#fail('RULE_TYPE', `${info.label} is ${describe(info)}, not a condition: compare it, as in ${example(info)}`, expression.span);
      }
      case 'integer':
      case 'decimal':
      case 'string':
      case 'null':
        return this.#fail('RULE_TYPE', 'a value alone is not a condition: compare a field with it, as in amount > 0', expression.span);
    }
  }

  #compare(node: ComparisonNode): TypedExpression {
    const left = this.#operand(node.left);
    const right = this.#operand(node.right);
    for (const side of [left, right]) {
      if (side.class === 'array' || side.class === 'object') {
        this.#fail('RULE_TYPE', `${side.label} is ${describe(side)}: compare one of its fields${side.class === 'array' ? `, or its length (${side.label}.length)` : ''}`, side.span);
      }
    }
    const operator = node.operator;
    // Blame the literal when a field meets one (the field is the fixed part), else the right side.
    const blame = left.typed.type === 'literal' && right.typed.type === 'path' ? left : right;
    const mismatch = (): never =>
      this.#fail('RULE_TYPE', `cannot compare ${left.label} (${describe(left)}) with ${right.label} (${describe(right)}) using ${operator}`, right.typed.type === 'path' && left.typed.type === 'path' ? node.operatorSpan : blame.span);

    if (operator === 'contains' || operator === 'starts_with' || operator === 'ends_with') {
      for (const side of [left, right]) {
        if (side.class !== 'string') this.#fail('RULE_TYPE', `${operator} tests text, and ${side.label} is ${describe(side)}`, side.span);
      }
      return { type: 'compare', operator, domain: 'string', left: left.typed, right: right.typed };
    }

    if (left.class === 'null' || right.class === 'null') {
      const other = left.class === 'null' ? right : left;
      const nullSide = left.class === 'null' ? left : right;
      if (operator !== '==' && operator !== '!=') this.#fail('RULE_TYPE', `null can only be tested with == or !=, not ${operator}`, node.operatorSpan);
      if (other.typed.type !== 'path') this.#fail('RULE_TYPE', 'compare a field with null, as in to == null', other.span);
      if (!other.absent) this.#fail('RULE_TYPE', `${other.label} is never null`, nullSide.span);
      return { type: 'compare', operator, domain: 'presence', left: left.typed, right: right.typed };
    }

    if (isNumeric(left) && isNumeric(right)) {
      for (const [decimal, other] of [
        [left, right],
        [right, left],
      ] as const) {
        if (decimal.class === 'decimal' && other.class === 'bigint') {
          this.#fail(
            'RULE_TYPE',
            `${other.label} counts whole base units and ${decimal.label} has a fraction: scale it to base units, as in ${decimal.label}e6 for a token with 6 decimals or ${decimal.label} ether`,
            decimal.span,
          );
        }
      }
      return { type: 'compare', operator, domain: 'numeric', left: left.typed, right: right.typed };
    }

    if (operator !== '==' && operator !== '!=') {
      const culprit = isNumeric(left) ? right : left;
      return this.#fail('RULE_TYPE', `${operator} compares numbers, and ${culprit.label} is ${describe(culprit)}`, culprit.span);
    }
    if (left.class === 'string' && right.class === 'string') {
      this.#enumerated(left, right);
      this.#enumerated(right, left);
      return { type: 'compare', operator, domain: 'string', left: left.typed, right: right.typed };
    }
    if (left.class === 'boolean' && right.class === 'boolean') return { type: 'compare', operator, domain: 'boolean', left: left.typed, right: right.typed };
    return mismatch();
  }

  /** A literal compared with an enumerated field must be one of its values: `status == 'faild'` is a typo. */
  #enumerated(field: OperandInfo, literal: OperandInfo): void {
    if (field.values === undefined || literal.typed.type !== 'literal' || typeof literal.typed.value !== 'string') return;
    if (field.values.includes(literal.typed.value)) return;
    const one = field.values.map((v) => `'${v}'`).join(', ');
    const scope = this.#kind === undefined ? '' : ` in a rule for ${this.#kind} transactions`;
    this.#fail('RULE_TYPE', `${field.label} is ${field.values.length === 1 ? `always ${one}` : `one of ${one}`}${scope}`, literal.span);
  }

  #operand(operand: Operand): OperandInfo {
    switch (operand.type) {
      case 'path':
        return this.#path(operand);
      case 'integer':
        return { span: operand.span, typed: { type: 'literal', value: operand.value }, class: 'integer', absent: false, label: operand.value.toString() };
      case 'decimal':
        return { span: operand.span, typed: { type: 'literal', value: Number(operand.text) }, class: 'decimal', absent: false, label: operand.text };
      case 'string':
        return { span: operand.span, typed: { type: 'literal', value: operand.value }, class: 'string', absent: false, label: JSON.stringify(operand.value) };
      case 'boolean':
        return { span: operand.span, typed: { type: 'literal', value: operand.value }, class: 'boolean', absent: false, label: String(operand.value) };
      case 'null':
        return { span: operand.span, typed: { type: 'literal', value: null }, class: 'null', absent: true, label: 'null' };
    }
  }

  #path(path: PathNode): OperandInfo {
    const [head, ...rest] = path.segments;
    const found = this.#kinds.map((kind) => ownField(transactionFields[kind], head.name));
    const specs = found.filter((spec): spec is FieldSpec => spec !== undefined);
    const first = specs[0];
    if (first === undefined) return this.#fail('RULE_UNKNOWN_FIELD', this.#unknownTopField(head.name), head.span);
    let type = specs.reduce<FieldType>((merged, spec) => mergeTypes(merged, spec.type), first.type);
    // A field of one kind is also missing on the other kind's transactions, but `from == null`
    // in a rule for both kinds is a mistake, not a way to say "UTXO": only nullable fields and
    // indexes (which can run past the end) may be compared with null.
    let absent = specs.some((spec) => spec.nullable);
    let each = false;
    let label = head.name;
    const steps: PathStep[] = [{ type: 'field', name: head.name }];
    for (const segment of rest) {
      const here = label;
      if (segment.type === 'field') {
        label += `.${segment.name}`;
        if (segment.name === 'length' && (type.kind === 'array' || type.kind === 'string')) {
          steps.push({ type: 'length' });
          type = { kind: 'number' };
          continue;
        }
        if (type.kind === 'array') this.#fail('RULE_TYPE', `${here} is a list: pick an element first, as in ${here}[0].${segment.name} or ${here}[*].${segment.name}`, segment.span);
        if (type.kind !== 'object') this.#fail('RULE_TYPE', `${here} is ${describeType(type)} and has no field '${segment.name}'`, segment.span);
        const fields = type.kind === 'object' ? type.fields : {};
        const spec = ownField(fields, segment.name);
        if (spec === undefined) return this.#fail('RULE_UNKNOWN_FIELD', `${here} has no field '${segment.name}'${suggestion(segment.name, Object.keys(fields))}; its fields are ${Object.keys(fields).join(', ')}`, segment.span);
        steps.push({ type: 'field', name: segment.name });
        type = spec.type;
        absent ||= spec.nullable;
        continue;
      }
      label += segment.type === 'index' ? `[${segment.index}]` : '[*]';
      if (type.kind !== 'array') return this.#fail('RULE_TYPE', `${here} is ${describeType(type)}, not a list, and cannot be indexed`, segment.span);
      type = type.element;
      if (segment.type === 'index') {
        steps.push({ type: 'index', index: segment.index });
        absent = true;
      } else {
        steps.push({ type: 'each' });
        each = true;
      }
    }
    const shown = printPath(path);
    const typed: TypedOperand = { type: 'path', steps, each };
    switch (type.kind) {
      case 'string':
        return { span: path.span, typed, class: 'string', ...(type.values === undefined ? {} : { values: type.values }), absent, label: shown };
      case 'bigint':
      case 'number':
      case 'array':
      case 'object':
        return { span: path.span, typed, class: type.kind, absent, label: shown };
    }
  }

  #unknownTopField(name: string): string {
    const scope = this.#kind === undefined ? 'transactions' : `${this.#kind} transactions`;
    const elsewhere = this.#kind === undefined ? undefined : transactionKinds.find((kind) => kind !== this.#kind && ownField(transactionFields[kind], name) !== undefined);
    if (elsewhere !== undefined) return `'${name}' is a field of ${elsewhere} transactions, and this rule is for ${scope}`;
    const names = [...new Set(this.#kinds.flatMap((kind) => Object.keys(transactionFields[kind])))];
    return `${scope} have no field '${name}'${suggestion(name, names)}`;
  }

  #fail(code: RuleExpressionErrorCode, reason: string, span: SourceSpan): never {
    throw new RuleExpressionError({ code, reason, source: this.#source, span });
  }
}

function isNumeric(info: OperandInfo): boolean {
  return info.class === 'bigint' || info.class === 'number' || info.class === 'integer' || info.class === 'decimal';
}

/** The same field in both kinds has the same type, except enumerations (`kind`), whose values join. */
function mergeTypes(a: FieldType, b: FieldType): FieldType {
  if (a.kind !== 'string' || b.kind !== 'string') return a;
  if (a.values === undefined || b.values === undefined) return { kind: 'string' };
  return { kind: 'string', values: [...new Set([...a.values, ...b.values])] };
}

function describe(info: OperandInfo): string {
  switch (info.class) {
    case 'bigint':
      return 'an amount in base units';
    case 'number':
      return 'a number';
    case 'integer':
      return 'an integer';
    case 'decimal':
      return 'a decimal number';
    case 'string':
      return info.typed.type === 'literal' ? 'a string' : 'text';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
  }
}

function describeType(type: FieldType): string {
  switch (type.kind) {
    case 'bigint':
      return 'an amount in base units';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
  }
}

function example(info: OperandInfo): string {
  if (info.class === 'string') return `${info.label} == '${info.values?.[0] ?? '…'}'`;
  if (info.class === 'array') return `${info.label}.length > 0`;
  return `${info.label} > 0`;
}

/** `; did you mean 'amount'?` when a known name is close: same letters ignoring case and `_`, or two edits away. */
function suggestion(name: string, known: readonly string[]): string {
  const plain = (text: string): string => text.toLowerCase().replaceAll('_', '');
  const close = known.find((candidate) => plain(candidate) === plain(name)) ?? known.find((candidate) => editDistance(candidate, name) <= 2);
  return close === undefined ? '' : `; did you mean '${close}'?`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
