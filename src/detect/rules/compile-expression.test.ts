import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountTransaction, Transaction, UtxoTransaction } from '../../core/transaction.js';
import { compileExpression } from './compile-expression.js';
import { RuleExpressionError } from './rule-expression-error.js';
import type { TransactionKind } from './transaction-fields.js';

const hotWallet = '0x1111111111111111111111111111111111111111';
const newAddress = '0x2222222222222222222222222222222222222222';
const usdc = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const tornadoRouter = '0xd90e2f925da726b50c4ed8d0fb90ad053324f31b';
const transferTopic = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const topicOf = (address: string): string => `0x${address.slice(2).padStart(64, '0')}`;

function account(overrides: Partial<AccountTransaction> = {}): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: '0xaaaa',
    asset: 'USDC',
    decimals: 6,
    fee: 630_000_000_000_000n,
    block: 19_000_000,
    timestamp: 1_700_000_000_000,
    status: 'success',
    from: hotWallet,
    to: newAddress,
    amount: 2_500_000_000_000n,
    nonce: 7,
    tokenContract: usdc,
    logs: [{ address: usdc, topics: [transferTopic, topicOf(hotWallet), topicOf(newAddress)], data: '0x000000000000000000000000000000000000000000000000000002460a6c5800' }],
    ...overrides,
  };
}

function utxo(overrides: Partial<UtxoTransaction> = {}): UtxoTransaction {
  return {
    kind: 'utxo',
    chain: 'bitcoin',
    hash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
    asset: 'BTC',
    decimals: 8,
    fee: 2_000n,
    block: 840_000,
    timestamp: 1_713_571_767_000,
    status: 'success',
    inputs: [
      { address: 'bc1qhot', amount: 150_000_000n, prevHash: 'ab'.repeat(32), prevIndex: 1 },
      { address: 'bc1qhot', amount: 50_000_000n },
    ],
    outputs: [
      { address: 'bc1qexchange', amount: 120_000_000n },
      { address: 'bc1qdust', amount: 300n },
      { address: 'bc1qhot', amount: 79_997_700n },
    ],
    ...overrides,
  };
}

const matches = (source: string, tx: Transaction, kind?: TransactionKind): boolean => compileExpression(source, kind === undefined ? {} : { kind }).matches(tx);

describe('compileExpression on account transactions', () => {
  const tx = account();
  it.each([
    ['asset == "USDC" AND amount > 1_000_000e6', true],
    ['asset == "USDC" AND amount > 2_500_000e6', false],
    ['amount >= 2_500_000e6 AND amount <= 2_500_000e6', true],
    ['amount != 2_500_000e6', false],
    [`from == "${hotWallet}" AND status == "success"`, true],
    ['status == "failed"', false],
    ['to starts_with "0x2222" AND to ends_with "2222" AND to contains "22"', true],
    ['to starts_with "0X2222"', false],
    [`tokenContract == "${usdc}"`, true],
    ['tokenContract == null', false],
    ['nonce == 7 AND nonce < 7.5 AND nonce > 6.5', true],
    [`logs[0].topics[0] == "${transferTopic}"`, true],
    [`logs[0].topics[-1] == "${topicOf(newAddress)}"`, true],
    [`logs[*].topics[*] == "${topicOf(hotWallet)}"`, true],
    [`logs[*].address == "${tornadoRouter}"`, false],
    ['logs.length == 1 AND logs[0].topics.length == 3 AND hash.length == 6', true],
    ['logs[1].address == null', true],
    ['logs[1].address != null', false],
    ['logs[1].address != "x"', false],
    ['NOT logs[1].address == "x"', true],
    ['fee > 600_000 gwei AND fee < 0.001 ether', true],
    ['amount > block', true],
    ['from == to', false],
    ['kind == "account"', true],
    ['true AND NOT false', true],
    ['1 < 2 AND "a" != "b"', true],
  ])('%s is %s', (source, expected) => {
    expect(matches(source, tx)).toBe(expected);
  });

  it('sees a contract creation as to == null, and no other comparison of to holds', () => {
    const creation = account({ to: null });
    expect(matches('to == null', creation)).toBe(true);
    expect(matches('to != null', creation)).toBe(false);
    expect(matches('to != "0xabc"', creation)).toBe(false);
    expect(matches('to contains ""', creation)).toBe(false);
    expect(matches('to.length > 0', creation)).toBe(false);
  });

  it('finds the Tornado Cash router among the logs wherever it is', () => {
    const source = `logs[*].address == "${tornadoRouter}"`;
    const other = { address: usdc, topics: [], data: '0x' };
    const router = { address: tornadoRouter, topics: [], data: '0x' };
    expect(matches(source, account({ logs: [other, other, router] }))).toBe(true);
    expect(matches(source, account({ logs: [other] }))).toBe(false);
    expect(matches(source, account({ logs: [] }))).toBe(false);
    expect(matches(`NOT ${source}`, account({ logs: [] }))).toBe(true);
  });
});

describe('compileExpression on UTXO transactions', () => {
  const tx = utxo();
  it.each([
    ['inputs.length == 2 AND outputs.length == 3', true],
    ['inputs[0].amount == 1.5 btc', true],
    ['inputs[*].amount == 0.5 btc', true],
    ['outputs[*].amount < 546 sat', true],
    ['outputs[-1].address == "bc1qhot"', true],
    ['inputs[*].address == outputs[*].address', true],
    ['inputs[0].address == outputs[0].address', false],
    ['inputs[0].prevHash != null AND inputs[0].prevIndex == 1', true],
    ['inputs[1].prevHash == null', true],
    ['inputs[1].prevIndex > 0', false],
    ['inputs[*].prevHash starts_with "abab"', true],
    ['outputs[5].amount > 0', false],
    ['outputs[5].amount == null', true],
    ['fee == 2000 AND block == 840000 AND decimals == 8', true],
    ['chain == "bitcoin" AND asset == "BTC" AND kind == "utxo"', true],
  ])('%s is %s', (source, expected) => {
    expect(matches(source, tx)).toBe(expected);
  });
});

describe('compileExpression across kinds', () => {
  it('a rule for both kinds sees a field of the other kind as missing', () => {
    const source = 'from == "bc1qhot" OR inputs[*].address == "bc1qhot"';
    expect(matches(source, utxo())).toBe(true);
    expect(matches(source, account({ from: 'bc1qhot' }))).toBe(true);
    expect(matches(source, account())).toBe(false);
    expect(matches('amount > 0', utxo())).toBe(false);
    expect(matches('NOT amount > 0', utxo())).toBe(true);
  });

  it('a rule for one kind never matches the other', () => {
    expect(matches('status == "success"', utxo(), 'account')).toBe(false);
    expect(matches('status == "success"', account(), 'account')).toBe(true);
    expect(matches('NOT status == "failed"', account(), 'utxo')).toBe(false);
  });

  it('keeps the source, its canonical form, the tree and the kind', () => {
    const compiled = compileExpression("asset=='USDC' and amount>1e12", { kind: 'account' });
    expect(compiled).toMatchObject({ source: "asset=='USDC' and amount>1e12", canonical: 'asset == "USDC" AND amount > 1000000000000', kind: 'account' });
    expect(compiled.ast.type).toBe('and');
    expect('kind' in compileExpression('true')).toBe(false);
  });
});

describe('compileExpression compares bigints exactly', () => {
  const twoTo53 = 2n ** 53n;

  it('tells 2^53 from 2^53 + 1, where a float cannot', () => {
    const tx = account({ amount: twoTo53 + 1n });
    expect(matches('amount == 9007199254740993', tx)).toBe(true);
    expect(matches('amount == 9007199254740992', tx)).toBe(false);
    expect(matches('amount > 9007199254740992', tx)).toBe(true);
    expect(matches('amount < 9007199254740994', tx)).toBe(true);
    expect(matches('amount != 9007199254740992', tx)).toBe(true);
  });

  it('compares far beyond 2^64 and up to 2^256', () => {
    const max = 2n ** 256n - 1n;
    expect(matches('amount > 1000000000000000000000', account({ amount: 10n ** 21n + 1n }))).toBe(true);
    expect(matches('amount > 1000000000000000000000', account({ amount: 10n ** 21n }))).toBe(false);
    expect(matches(`amount == ${max}`, account({ amount: max }))).toBe(true);
    expect(matches(`amount == ${max - 1n}`, account({ amount: max }))).toBe(false);
    expect(matches(`amount < ${max}`, account({ amount: max - 1n }))).toBe(true);
  });

  it('compares number fields with huge integers by value, without rounding the integer', () => {
    // 2^53 + 1 is not a float: converting it would give 2^53 and make these equal.
    const tx = account({ block: 2 ** 53 });
    expect(matches('block == 9007199254740993', tx)).toBe(false);
    expect(matches('block != 9007199254740993', tx)).toBe(true);
    expect(matches('block < 9007199254740993', tx)).toBe(true);
    expect(matches('block == 9007199254740992', tx)).toBe(true);
    expect(matches('block > 1000000000000000000000', tx)).toBe(false);
  });

  /** Values around the places where floats stop being exact. */
  const edgy = fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
    fc.bigInt({ min: twoTo53 - 4n, max: twoTo53 + 4n }),
    fc.bigInt({ min: 2n ** 64n - 4n, max: 2n ** 64n + 4n }),
    fc.bigInt({ min: 0n, max: 10n }),
  );
  const operators = ['>', '>=', '<', '<=', '==', '!='] as const;
  const reference = (a: bigint, operator: (typeof operators)[number], b: bigint): boolean =>
    ({ '>': a > b, '>=': a >= b, '<': a < b, '<=': a <= b, '==': a === b, '!=': a !== b })[operator];

  it('agrees with bigint arithmetic for every operator, on bigint fields', () => {
    fc.assert(
      fc.property(edgy, fc.constantFrom(...operators), edgy, (amount, operator, literal) => {
        expect(matches(`amount ${operator} ${literal}`, account({ amount }))).toBe(reference(amount, operator, literal));
        expect(matches(`${literal} ${operator} amount`, account({ amount }))).toBe(reference(literal, operator, amount));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with bigint arithmetic for every operator, on number fields', () => {
    const block = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64));
    fc.assert(
      fc.property(block, fc.constantFrom(...operators), edgy, (height, operator, literal) => {
        expect(matches(`block ${operator} ${literal}`, account({ block: height }))).toBe(reference(BigInt(height), operator, literal));
      }),
      { numRuns: 2000 },
    );
  });

  it('compares a bigint field with a number field by value', () => {
    expect(matches('amount == block', account({ amount: 19_000_000n }))).toBe(true);
    expect(matches('amount == block', account({ amount: twoTo53 + 1n, block: 2 ** 53 }))).toBe(false);
    expect(matches('amount > block', account({ amount: twoTo53 + 1n, block: 2 ** 53 }))).toBe(true);
  });
});

describe('compileExpression AND, OR and NOT', () => {
  /** Conditions whose truth on `tx` is known; the trees below are built from them. */
  const tx = account();
  const atoms: readonly (readonly [string, boolean])[] = [
    ['amount > 1_000_000e6', true],
    ['amount < 1_000_000e6', false],
    ['asset == "USDC"', true],
    ['asset == "ETH"', false],
    [`logs[*].address == "${usdc}"`, true],
    ['to == null', false],
    ['true', true],
    ['false', false],
  ];
  type Tree = { readonly atom: number } | { readonly not: Tree } | { readonly all: readonly Tree[] } | { readonly any: readonly Tree[] };
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.nat(atoms.length - 1).map((atom) => ({ atom })),
      tie('tree').map((inner) => ({ not: inner })),
      fc.array(tie('tree'), { minLength: 2, maxLength: 4 }).map((all) => ({ all })),
      fc.array(tie('tree'), { minLength: 2, maxLength: 4 }).map((any) => ({ any })),
    ),
  }));
  const evaluate = (t: Tree): boolean =>
    'atom' in t ? (atoms[t.atom]?.[1] ?? false) : 'not' in t ? !evaluate(t.not) : 'all' in t ? t.all.every(evaluate) : t.any.some(evaluate);
  // Fully parenthesized and written independently of printExpression, keywords in random case.
  const write = (t: Tree, lower: boolean): string => {
    const [and, or, not] = lower ? ['and', 'or', 'not'] : ['AND', 'OR', 'NOT'];
    if ('atom' in t) return atoms[t.atom]?.[0] ?? 'false';
    if ('not' in t) return `${not} (${write(t.not, lower)})`;
    return ('all' in t ? t.all : t.any).map((c) => `(${write(c, lower)})`).join(` ${'all' in t ? and : or} `);
  };

  it('agrees with a reference evaluation over random trees', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (t, lower) => {
        expect(matches(write(t, lower), tx)).toBe(evaluate(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('without parentheses, evaluates AND before OR', () => {
    // `a OR b AND c OR d` is the OR of its AND-groups.
    const chain = fc.array(fc.tuple(fc.nat(atoms.length - 1), fc.boolean(), fc.constantFrom('AND', 'OR')), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(chain, (links) => {
        let source = '';
        const groups: boolean[][] = [[]];
        links.forEach(([atom, negate, joiner], i) => {
          const [text, value] = atoms[atom] ?? ['false', false];
          source += `${negate ? 'NOT ' : ''}${text}`;
          groups[groups.length - 1]?.push(negate ? !value : value);
          if (i < links.length - 1) {
            source += ` ${joiner} `;
            if (joiner === 'OR') groups.push([]);
          }
        });
        expect(matches(source, tx)).toBe(groups.some((group) => group.every(Boolean)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compileExpression robustness', () => {
  const fragments = [
    'amount', 'from', 'to', 'logs', 'inputs', 'outputs', 'topics', 'address', 'length', 'status', 'nonce', '.', '[0]', '[-1]', '[*]', '(', ')',
    ' AND ', ' OR ', 'NOT ', ' == ', ' != ', ' > ', ' <= ', ' contains ', ' starts_with ', 'null', 'true', '1', '1.5', '"x"', '"failed"', ' ether',
  ];

  it('throws nothing but RuleExpressionError, and a compiled rule never throws on any transaction', () => {
    const weird = { ...account(), amount: 5, logs: [null, { address: 7, topics: 'no' }], to: 12 } as unknown as Transaction;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 16 }), fc.constantFrom<TransactionKind | undefined>('account', 'utxo', undefined), (parts, kind) => {
        let compiled;
        try {
          compiled = compileExpression(parts.join(''), kind === undefined ? {} : { kind });
        } catch (error) {
          if (error instanceof RuleExpressionError) return;
          throw error;
        }
        for (const tx of [account(), account({ to: null, logs: [] }), utxo(), utxo({ inputs: [], outputs: [] }), weird]) expect(typeof compiled.matches(tx)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });
});
