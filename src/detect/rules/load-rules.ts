import { z } from 'zod';
import type { AttackStage, FindingSeverity, FindingType } from '../../core/finding.js';
import { compileRule, type Rule, type RuleDefinition } from './rule.js';
import { isRuleExpressionError } from './rule-expression-error.js';
import { RuleLoadError, type RuleProblem } from './rule-load-error.js';
import { transactionKinds } from './transaction-fields.js';

/** The core's unions as tuples, which `z.enum` needs; `satisfies` keeps them complete. */
const severities = ['Unknown', 'Info', 'Low', 'Medium', 'High', 'Critical'] as const satisfies readonly FindingSeverity[];
const findingTypes = ['Unknown', 'Exploit', 'Suspicious', 'Degraded', 'Info', 'Scam'] as const satisfies readonly FindingType[];
const stages = ['funding', 'preparation', 'exploitation', 'laundering'] as const satisfies readonly AttackStage[];
// `satisfies` checks only that each entry is in the union; these fail to compile if one is missing.
const _allSeverities: Exclude<FindingSeverity, (typeof severities)[number]> extends never ? true : never = true;
const _allTypes: Exclude<FindingType, (typeof findingTypes)[number]> extends never ? true : never = true;
const _allStages: Exclude<AttackStage, (typeof stages)[number]> extends never ? true : never = true;

/**
 * Rules are stateless but each one runs on every transaction; a thousand keeps the per-transaction
 * cost near 100 µs. A file with more is almost certainly generated and belongs in a detector.
 */
export const maxRules = 1000;

/** Rules are written by hand; a longer expression is a generated one or an accident. */
export const maxExpressionLength = 4096;

/** The id becomes part of an alert id and a dedup key: letters, digits, `-`, `_`, `.`. */
export const ruleIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** YAML authors write `high` as often as `High`; both mean the one value. */
function caseInsensitive<const T extends readonly [string, ...string[]]>(values: T) {
  const byLower = new Map(values.map((value) => [value.toLowerCase(), value]));
  return z
    .string()
    .transform((value) => byLower.get(value.toLowerCase()) ?? value)
    .pipe(z.enum(values));
}

/** One rule as written in a rules file (JSON, or YAML parsed to JSON by the caller). */
export const ruleDefinitionSchema = z.strictObject({
  id: z.string().regex(ruleIdPattern, 'must be 1 to 64 letters, digits, "-", "_" or ".", starting with a letter or digit'),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000).optional(),
  severity: caseInsensitive(severities),
  type: caseInsensitive(findingTypes),
  expression: z.string().min(1).max(maxExpressionLength),
  stage: caseInsensitive(stages).optional(),
  kind: caseInsensitive(transactionKinds).optional(),
});

/**
 * Validates and compiles a rules file: a list of rule definitions, or an object with a `rules`
 * list (the usual shape of a YAML file). Returns the rules in file order, or throws a
 * RuleLoadError listing every problem of every rule (index, id, field, code, and for
 * expressions the line and column), so one run fixes a whole file.
 */
export function loadRules(definitions: unknown): Rule[] {
  const wrapped = typeof definitions === 'object' && definitions !== null && !Array.isArray(definitions) && 'rules' in definitions;
  const list: unknown = wrapped ? (definitions as { readonly rules: unknown }).rules : definitions;
  const pathPrefix = wrapped ? 'rules' : '';
  if (!Array.isArray(list)) {
    throw new RuleLoadError([{ field: '', code: 'RULE_INVALID', message: 'expected a list of rules, or an object with a "rules" list' }], { pathPrefix });
  }
  if (list.length > maxRules) {
    throw new RuleLoadError([{ field: '', code: 'RULE_INVALID', message: `${list.length} rules is more than the ${maxRules} a file may hold` }], { pathPrefix });
  }
  const problems: RuleProblem[] = [];
  const rules: Rule[] = [];
  const firstIndexById = new Map<string, number>();
  list.forEach((raw: unknown, index) => {
    const id = idOf(raw);
    const known = id === undefined ? {} : { id };
    const parsed = ruleDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ index, ...known, field: issue.path.map(String).join('.'), code: 'RULE_INVALID', message: issue.message });
      }
      return;
    }
    const definition: RuleDefinition = withoutUndefined(parsed.data);
    const first = firstIndexById.get(definition.id);
    if (first !== undefined) {
      problems.push({ index, ...known, field: 'id', code: 'RULE_DUPLICATE_ID', message: `id ${definition.id} is also the id of rule ${first}` });
    } else {
      firstIndexById.set(definition.id, index);
    }
    try {
      rules.push(compileRule(definition));
    } catch (error) {
      if (!isRuleExpressionError(error)) throw error;
      problems.push({ index, ...known, field: 'expression', code: error.code, message: error.reason, line: error.line, column: error.column, excerpt: error.excerpt });
    }
  });
  if (problems.length > 0) throw new RuleLoadError(problems, { pathPrefix });
  return rules;
}

/** The id of a definition that has a usable one, even when other fields are wrong. */
function idOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return undefined;
  const id: unknown = raw.id;
  return typeof id === 'string' && ruleIdPattern.test(id) ? id : undefined;
}

/** zod gives `description: undefined` for an absent key; the core types want the key absent. */
function withoutUndefined(data: z.output<typeof ruleDefinitionSchema>): RuleDefinition {
  return {
    id: data.id,
    name: data.name,
    severity: data.severity,
    type: data.type,
    expression: data.expression,
    ...(data.description === undefined ? {} : { description: data.description }),
    ...(data.stage === undefined ? {} : { stage: data.stage }),
    ...(data.kind === undefined ? {} : { kind: data.kind }),
  };
}
