import { describe, expect, it } from 'vitest';
import { checkExpression } from './check-expression.js';
import { parseExpression } from './parse-expression.js';
import { RuleExpressionError, type RuleExpressionErrorCode } from './rule-expression-error.js';
import type { TransactionKind } from './transaction-fields.js';

function check(source: string, kind?: TransactionKind): void {
  checkExpression(parseExpression(source), { source, ...(kind === undefined ? {} : { kind }) });
}

function checkError(source: string, kind?: TransactionKind): RuleExpressionError {
  try {
    check(source, kind);
  } catch (error) {
    if (error instanceof RuleExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to type-check`);
}

describe('checkExpression accepts', () => {
  it.each([
    ['amount > 1000000000000000000000', 'account'],
    ['amount > 1.5 ether AND fee < 30 gwei', 'account'],
    ['block > 19000000 AND timestamp >= 1700000000000 AND decimals == 6', undefined],
    ['nonce == 0 OR nonce == null', 'account'],
    ['block > 2.5', undefined],
    ['amount > block', 'account'],
    ['from == to', 'account'],
    ['from == "0xabc" OR inputs[*].address == "0xabc"', undefined],
    ['status == "failed" AND kind == "utxo"', undefined],
    ['to == null AND tokenContract != null', 'account'],
    ['logs[0].topics[0] == "0xddf2" AND logs[0].data contains "dead"', 'account'],
    ['logs[*].topics.length >= 3', 'account'],
    ['logs[5].address == null', 'account'],
    ['inputs[*].prevHash == null', 'utxo'],
    ['outputs[-1].amount < 546 AND outputs.length > 100', 'utxo'],
    ['inputs[*].address == outputs[*].address', 'utxo'],
    ['hash.length == 66', undefined],
    ['true', undefined],
    ['NOT false', undefined],
    ['1 < 2', undefined],
  ] as const)('%s', (source, kind) => {
    expect(() => check(source, kind)).not.toThrow();
  });
});

describe('checkExpression rejects', () => {
  const cases: readonly [source: string, kind: TransactionKind | undefined, code: RuleExpressionErrorCode, column: number, reason: RegExp][] = [
    ['amout > 5', undefined, 'RULE_UNKNOWN_FIELD', 1, /have no field 'amout'; did you mean 'amount'\?/],
    ['asset == "USDC" AND token_contract != null', 'account', 'RULE_UNKNOWN_FIELD', 21, /did you mean 'tokenContract'\?/],
    ['from == "0xabc"', 'utxo', 'RULE_UNKNOWN_FIELD', 1, /'from' is a field of account transactions, and this rule is for utxo transactions/],
    ['logs[0].adress == "0x1"', 'account', 'RULE_UNKNOWN_FIELD', 9, /logs\[0\] has no field 'adress'; did you mean 'address'\?/],
    ['constructor == "x"', undefined, 'RULE_UNKNOWN_FIELD', 1, /no field 'constructor'/],
    ['amount > "1000"', 'account', 'RULE_TYPE', 10, /> compares numbers, and "1000" is a string/],
    ['asset == 5', undefined, 'RULE_TYPE', 10, /cannot compare asset \(text\) with 5 \(an integer\) using ==/],
    ['"USDC" == 5', undefined, 'RULE_TYPE', 11, /cannot compare "USDC" \(a string\) with 5/],
    ['from == amount', 'account', 'RULE_TYPE', 6, /cannot compare from \(text\) with amount \(an amount in base units\)/],
    ['amount contains "1"', 'account', 'RULE_TYPE', 1, /contains tests text, and amount is an amount in base units/],
    ['from starts_with 0', 'account', 'RULE_TYPE', 18, /starts_with tests text, and 0 is an integer/],
    ['amount > 1.5', 'account', 'RULE_TYPE', 10, /amount counts whole base units and 1.5 has a fraction: scale it to base units, as in 1.5e6 for a token with 6 decimals or 1.5 ether/],
    ['0.25 < fee', undefined, 'RULE_TYPE', 1, /fee counts whole base units/],
    ['outputs[0].amount == 0.5', 'utxo', 'RULE_TYPE', 22, /has a fraction/],
    ['status == "faild"', undefined, 'RULE_TYPE', 11, /status is one of 'success', 'failed', 'pending'/],
    ['kind == "utxo"', 'account', 'RULE_TYPE', 9, /kind is always 'account' in a rule for account transactions/],
    ['status > "a"', undefined, 'RULE_TYPE', 1, /> compares numbers, and status is text/],
    ['amount == null', 'account', 'RULE_TYPE', 11, /amount is never null/],
    ['from == null', undefined, 'RULE_TYPE', 9, /from is never null/],
    ['to > null', 'account', 'RULE_TYPE', 4, /null can only be tested with == or !=/],
    ['null == 1', undefined, 'RULE_TYPE', 9, /compare a field with null/],
    ['to contains null', 'account', 'RULE_TYPE', 13, /contains tests text, and null is null/],
    ['logs == "x"', 'account', 'RULE_TYPE', 1, /logs is a list: compare one of its fields, or its length \(logs.length\)/],
    ['logs[0] == "x"', 'account', 'RULE_TYPE', 1, /logs\[0\] is an object: compare one of its fields/],
    ['logs.address == "x"', 'account', 'RULE_TYPE', 6, /logs is a list: pick an element first, as in logs\[0\].address or logs\[\*\].address/],
    ['from.address == "x"', 'account', 'RULE_TYPE', 6, /from is text and has no field 'address'/],
    ['amount[0] > 1', 'account', 'RULE_TYPE', 7, /amount is an amount in base units, not a list, and cannot be indexed/],
    ['amount.length > 1', 'account', 'RULE_TYPE', 8, /amount is an amount in base units and has no field 'length'/],
    ['amount', 'account', 'RULE_TYPE', 1, /amount is an amount in base units, not a condition: compare it, as in amount > 0/],
    ['status AND true', undefined, 'RULE_TYPE', 1, /status is text, not a condition: compare it, as in status == 'success'/],
    ['"yes"', undefined, 'RULE_TYPE', 1, /a value alone is not a condition/],
    ['5 == asset', undefined, 'RULE_TYPE', 1, /cannot compare 5 \(an integer\) with asset \(text\)/],
    ['true == 1', undefined, 'RULE_TYPE', 9, /cannot compare true \(a boolean\) with 1/],
    ['true > false', undefined, 'RULE_TYPE', 1, /> compares numbers, and true is a boolean/],
  ];

  it.each(cases)('%s', (source, kind, code, column, reason) => {
    const error = checkError(source, kind);
    expect(error.code).toBe(code);
    expect(error.reason).toMatch(reason);
    expect([error.line, error.column]).toEqual([1, column]);
  });

  it('points at the line and column of a multi-line expression', () => {
    const source = 'asset == "USDC"\n  AND amount > "1000"\n  AND to != null';
    const error = checkError(source, 'account');
    expect([error.code, error.line, error.column]).toEqual(['RULE_TYPE', 2, 16]);
    expect(error.message).toBe('RULE_TYPE at 2:16: > compares numbers, and "1000" is a string\n    AND amount > "1000"\n                 ^^^^^^');
  });
});
