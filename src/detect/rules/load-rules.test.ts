import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../core/errors.js';
import type { AccountTransaction } from '../../core/transaction.js';
import { loadRules, maxRules } from './load-rules.js';
import { RuleLoadError } from './rule-load-error.js';

const largeUsdc = {
  id: 'large-usdc-to-new-address',
  name: 'Large USDC transfer',
  description: 'More than 1M USDC left a wallet.',
  severity: 'High',
  type: 'Suspicious',
  expression: 'asset == "USDC" AND amount > 1_000_000e6',
  kind: 'account',
};
const failedFromHot = {
  id: 'failed-from-hot',
  name: 'Failed transaction from the hot wallet',
  severity: 'medium',
  type: 'degraded',
  expression: 'status == "failed" AND from == "0x1111111111111111111111111111111111111111"',
  stage: 'Exploitation',
};

function loadError(definitions: unknown): RuleLoadError {
  try {
    loadRules(definitions);
  } catch (error) {
    if (error instanceof RuleLoadError) return error;
    throw error;
  }
  throw new Error('expected the rules not to load');
}

describe('loadRules', () => {
  it('loads a list of definitions into compiled rules, in file order', () => {
    const [large, failed] = loadRules([largeUsdc, failedFromHot]);
    expect(large).toMatchObject({ id: 'large-usdc-to-new-address', severity: 'High', type: 'Suspicious', kind: 'account', canonical: 'asset == "USDC" AND amount > 1000000000000' });
    expect(large?.description).toBe('More than 1M USDC left a wallet.');
    expect(large && 'stage' in large).toBe(false);
    // Severity, type, stage and kind are read in any case and stored in the core's spelling.
    expect(failed).toMatchObject({ severity: 'Medium', type: 'Degraded', stage: 'exploitation' });
    expect(failed && 'kind' in failed).toBe(false);
    expect(failed && 'description' in failed).toBe(false);
  });

  it('loads the { rules: [...] } shape of a YAML file', () => {
    expect(loadRules({ rules: [largeUsdc] }).map((rule) => rule.id)).toEqual(['large-usdc-to-new-address']);
    expect(loadRules([])).toEqual([]);
  });

  it('gives rules that match transactions', () => {
    const [rule] = loadRules([largeUsdc]);
    const tx = { kind: 'account', chain: 'ethereum', hash: '0x1', asset: 'USDC', decimals: 6, fee: 0n, block: 1, timestamp: 1, status: 'success', from: '0xa', to: '0xb', amount: 1_000_000_000_001n, nonce: null, tokenContract: null, logs: [] } satisfies AccountTransaction;
    expect(rule?.matches(tx)).toBe(true);
    expect(rule?.matches({ ...tx, amount: 1_000_000_000_000n })).toBe(false);
  });

  it('reports every invalid rule with its index, id, field and code, and loads none of them', () => {
    const error = loadError([
      largeUsdc,
      { ...largeUsdc, id: 'bad-type', expression: 'asset == "USDC" AND amount > "1000"' },
      { ...largeUsdc, id: 'bad-syntax', expression: 'asset == "USDC" AND\n  (amount > 5' },
      { ...largeUsdc, id: 'large-usdc-to-new-address' },
      { ...largeUsdc, id: 'bad-severity', severity: 'urgent', severty: 'High' },
      { name: 'no id' },
      'not an object',
    ]);
    expect(isVigilError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(error.httpStatus).toBe(400);
    const summary = error.problems.map((p) => [p.index, p.id, p.field, p.code, p.line, p.column]);
    expect(summary).toEqual([
      [1, 'bad-type', 'expression', 'RULE_TYPE', 1, 30],
      [2, 'bad-syntax', 'expression', 'RULE_SYNTAX', 2, 14],
      [3, 'large-usdc-to-new-address', 'id', 'RULE_DUPLICATE_ID', undefined, undefined],
      [4, 'bad-severity', 'severity', 'RULE_INVALID', undefined, undefined],
      [4, 'bad-severity', '', 'RULE_INVALID', undefined, undefined],
      [5, undefined, 'id', 'RULE_INVALID', undefined, undefined],
      [5, undefined, 'severity', 'RULE_INVALID', undefined, undefined],
      [5, undefined, 'type', 'RULE_INVALID', undefined, undefined],
      [5, undefined, 'expression', 'RULE_INVALID', undefined, undefined],
      [6, undefined, '', 'RULE_INVALID', undefined, undefined],
    ]);
    expect(error.problems[0]?.excerpt).toBe('  asset == "USDC" AND amount > "1000"\n                               ^^^^^^');
    expect(error.problems[3]?.message).toMatch(/Critical/);
    expect(error.problems[4]?.message).toMatch(/severty/);
    expect(error.details[0]).toEqual({ path: '1.expression', message: 'RULE_TYPE at 1:30: > compares numbers, and "1000" is a string' });
    expect(error.message).toMatch(/^6 rules are invalid:\n- rule 1 \(bad-type\) expression: RULE_TYPE at 1:30: /);
    expect(error.message).toContain('- rule 3 (large-usdc-to-new-address) id: RULE_DUPLICATE_ID: id large-usdc-to-new-address is also the id of rule 0');
  });

  it('names the rules list in detail paths when the file wraps it', () => {
    const error = loadError({ rules: [{ ...largeUsdc, expression: 'amout > 1' }] });
    expect(error.details).toEqual([{ path: 'rules.0.expression', message: expect.stringMatching(/^RULE_UNKNOWN_FIELD at 1:1: /) as unknown }]);
    expect(error.message).toMatch(/^a rule is invalid:/);
  });

  it('checks an expression against the kind the rule declares', () => {
    const error = loadError([{ ...largeUsdc, kind: 'utxo' }]);
    expect(error.problems[0]).toMatchObject({ code: 'RULE_UNKNOWN_FIELD', line: 1, column: 21, message: "'amount' is a field of account transactions, and this rule is for utxo transactions" });
  });

  it('refuses what is not a list of rules, and more rules than the cap', () => {
    expect(loadError('rules').problems).toEqual([{ field: '', code: 'RULE_INVALID', message: 'expected a list of rules, or an object with a "rules" list' }]);
    expect(loadError({ rules: 5 }).details[0]?.path).toBe('rules');
    expect(loadError(Array.from({ length: maxRules + 1 }, () => largeUsdc)).problems[0]?.message).toMatch(/more than the 1000/);
  });

  it('refuses ids that cannot be part of an alert id', () => {
    for (const id of ['', 'has space', '-leading', 'x'.repeat(65), 'ünïcode']) {
      expect(loadError([{ ...largeUsdc, id }]).problems[0]).toMatchObject({ field: 'id', code: 'RULE_INVALID' });
    }
  });
});
