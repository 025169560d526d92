import type { AttackStage, FindingSeverity, FindingType } from '../../core/finding.js';
import { compileExpression, type TransactionPredicate } from './compile-expression.js';
import type { TransactionKind } from './transaction-fields.js';

/**
 * A detection rule an operations team writes without writing code: an expression over the
 * fields of a transaction, and what to report when a transaction matches it.
 */
export interface Rule {
  /** Stable and unique; the finding's alert id is `VIGIL-RULE-<id>`, so renaming it starts a new alert. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly severity: FindingSeverity;
  readonly type: FindingType;
  /** The expression as its author wrote it. */
  readonly expression: string;
  /** The expression in canonical form, as findings and the console show it. */
  readonly canonical: string;
  readonly stage?: AttackStage;
  /** Only transactions of this kind can match; absent: both kinds. */
  readonly kind?: TransactionKind;
  readonly matches: TransactionPredicate;
}

/** A rule as it is written in a rules file, before its expression is compiled. */
export interface RuleDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly severity: FindingSeverity;
  readonly type: FindingType;
  readonly expression: string;
  readonly stage?: AttackStage;
  readonly kind?: TransactionKind;
}

/**
 * Compiles one definition that is already known to be well-formed (loadRules validates first).
 * Throws RuleExpressionError when the expression does not parse or type-check.
 */
export function compileRule(definition: RuleDefinition): Rule {
  const compiled = compileExpression(definition.expression, definition.kind === undefined ? {} : { kind: definition.kind });
  return {
    id: definition.id,
    name: definition.name,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    severity: definition.severity,
    type: definition.type,
    expression: definition.expression,
    canonical: compiled.canonical,
    ...(definition.stage === undefined ? {} : { stage: definition.stage }),
    ...(definition.kind === undefined ? {} : { kind: definition.kind }),
    matches: compiled.matches,
  };
}
