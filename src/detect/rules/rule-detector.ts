import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { TransactionDetector } from '../detection-engine.js';
import type { Rule } from './rule.js';
import { ruleFinding } from './rule-finding.js';

export interface RuleDetectorOptions {
  readonly rules: readonly Rule[];
  /** The detector's name in the engine's stats. Default `rules`. */
  readonly name?: string;
}

/**
 * Runs a set of loaded rules as one detector of the detection engine. Rules are stateless, so
 * it keeps no state: each transaction yields one finding per rule it matches, in rule order.
 */
export class RuleDetector implements TransactionDetector {
  readonly name: string;
  readonly #rules: readonly Rule[];

  constructor(options: RuleDetectorOptions) {
    this.name = options.name ?? 'rules';
    this.#rules = options.rules;
  }

  get rules(): readonly Rule[] {
    return this.#rules;
  }

  observe(tx: Transaction): Finding[] {
    const found: Finding[] = [];
    for (const rule of this.#rules) if (rule.matches(tx)) found.push(ruleFinding(rule, tx));
    return found;
  }
}
