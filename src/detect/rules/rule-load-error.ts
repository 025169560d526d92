import { VigilError, type ErrorDetail } from '../../core/errors.js';
import type { RuleExpressionErrorCode } from './rule-expression-error.js';

/**
 * Stable codes of a problem with one rule, part of the API: the expression codes, plus
 * `RULE_INVALID` (a field of the definition is missing or malformed) and `RULE_DUPLICATE_ID`.
 */
export type RuleProblemCode = RuleExpressionErrorCode | 'RULE_INVALID' | 'RULE_DUPLICATE_ID';

/** One thing wrong with one rule of a rules file. */
export interface RuleProblem {
  /** Position of the rule in the list; absent when the list itself is wrong. */
  readonly index?: number;
  /** The rule's id when it has a usable one, so a person can find it in a long file. */
  readonly id?: string;
  /** The field of the definition at fault: `expression`, `severity`, `` for the whole rule. */
  readonly field: string;
  readonly code: RuleProblemCode;
  /** What is wrong, without the location. */
  readonly message: string;
  /** For expression problems: where in the expression, 1-based, and the caret excerpt. */
  readonly line?: number;
  readonly column?: number;
  readonly excerpt?: string;
}

/**
 * A rules file with problems. It is a VigilError (`VALIDATION_FAILED`, HTTP 400) so the API and
 * the CLI report it like any invalid input, with one detail per problem; `problems` keeps the
 * structured form (codes, columns) for tools such as the console's rule editor.
 *
 * A file is loaded whole or not at all: running half of a team's rules while the other half
 * silently failed would look like coverage that is not there.
 */
export class RuleLoadError extends VigilError {
  readonly problems: readonly RuleProblem[];

  constructor(problems: readonly RuleProblem[], options: { readonly pathPrefix: string }) {
    const details: ErrorDetail[] = problems.map((problem) => ({ path: problemPath(problem, options.pathPrefix), message: problemText(problem) }));
    const count = new Set(problems.map((problem) => problem.index)).size;
    const lines = problems.map((problem) => `- ${problemTitle(problem)}: ${problemText(problem)}${problem.excerpt === undefined ? '' : `\n${problem.excerpt}`}`);
    super('VALIDATION_FAILED', `${count === 1 ? 'a rule is' : `${count} rules are`} invalid:\n${lines.join('\n')}`, { details });
    this.problems = problems;
  }
}

function problemPath(problem: RuleProblem, prefix: string): string {
  const parts = [prefix, problem.index === undefined ? '' : String(problem.index), problem.field].filter((part) => part !== '');
  return parts.join('.');
}

function problemTitle(problem: RuleProblem): string {
  if (problem.index === undefined) return 'rules';
  const who = `rule ${problem.index}${problem.id === undefined ? '' : ` (${problem.id})`}`;
  return problem.field === '' ? who : `${who} ${problem.field}`;
}

function problemText(problem: RuleProblem): string {
  const where = problem.line === undefined || problem.column === undefined ? '' : ` at ${problem.line}:${problem.column}`;
  return `${problem.code}${where}: ${problem.message}`;
}
