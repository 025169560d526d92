import { describe, expect, it } from 'vitest';
import type { AccountTransaction, UtxoTransaction } from '../../core/transaction.js';
import { compileRule } from './rule.js';
import { ruleFinding } from './rule-finding.js';

const account: AccountTransaction = {
  kind: 'account',
  chain: 'ethereum',
  hash: '0xfeed',
  asset: 'USDC',
  decimals: 6,
  fee: 630_000_000_000_000n,
  block: 19_000_000,
  timestamp: 1_700_000_000_000,
  status: 'success',
  from: '0x1111111111111111111111111111111111111111',
  to: '0x2222222222222222222222222222222222222222',
  amount: 2_500_000_123_456n,
  nonce: 7,
  tokenContract: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
  logs: [],
};

const utxo: UtxoTransaction = {
  kind: 'utxo',
  chain: 'bitcoin',
  hash: 'f418',
  asset: 'BTC',
  decimals: 8,
  fee: 2_000n,
  block: 840_000,
  timestamp: 1_713_571_767_000,
  status: 'success',
  inputs: [
    { address: 'bc1qhot', amount: 150_000_000n },
    { address: 'bc1qother', amount: 50_000_000n },
  ],
  outputs: [
    { address: 'bc1qexchange', amount: 120_000_000n },
    { address: 'bc1qhot', amount: 79_998_000n },
  ],
};

const rule = compileRule({
  id: 'large-usdc',
  name: 'Large USDC transfer',
  description: 'More than 1M USDC moved.',
  severity: 'High',
  type: 'Suspicious',
  expression: "asset=='USDC' and amount > 1e12",
  stage: 'laundering',
});

describe('ruleFinding', () => {
  it('reports an account transaction about its sender, with exact amounts', () => {
    expect(ruleFinding(rule, account)).toEqual({
      name: 'Large USDC transfer',
      description: 'More than 1M USDC moved. Transaction 0xfeed on ethereum matched rule large-usdc: asset == "USDC" AND amount > 1000000000000',
      alertId: 'VIGIL-RULE-large-usdc',
      severity: 'High',
      type: 'Suspicious',
      detector: 'rule:large-usdc',
      entity: account.from,
      addresses: [account.from, account.to],
      labels: [],
      txHashes: ['0xfeed'],
      at: 1_700_000_000_000,
      stage: 'laundering',
      metadata: {
        ruleId: 'large-usdc',
        expression: 'asset == "USDC" AND amount > 1000000000000',
        model: 'account',
        chain: 'ethereum',
        asset: 'USDC',
        status: 'success',
        block: '19000000',
        feeBaseUnits: '630000000000000',
        from: account.from,
        to: account.to,
        amount: '2500000.123456',
        amountBaseUnits: '2500000123456',
        tokenContract: account.tokenContract,
      },
    });
  });

  it('reports a UTXO transaction about its first input, with every address once', () => {
    const finding = ruleFinding({ ...rule, id: 'big-btc' }, utxo);
    expect(finding).toMatchObject({ alertId: 'VIGIL-RULE-big-btc', detector: 'rule:big-btc', entity: 'bc1qhot', addresses: ['bc1qhot', 'bc1qother', 'bc1qexchange'], txHashes: ['f418'], at: utxo.timestamp });
    expect(finding.metadata).toMatchObject({ model: 'utxo', inputs: '2', outputs: '2', amount: '1.99998', amountBaseUnits: '199998000', feeBaseUnits: '2000' });
  });

  it('leaves out what the rule or the transaction does not have', () => {
    const plain = compileRule({ id: 'creation', name: 'Contract creation', severity: 'Info', type: 'Info', expression: 'to == null', kind: 'account' });
    const finding = ruleFinding(plain, { ...account, to: null, tokenContract: null, from: '0xABCDEF' });
    expect('stage' in finding).toBe(false);
    expect(finding.description).toBe('Transaction 0xfeed on ethereum matched rule creation: to == null');
    expect(finding.entity).toBe('0xabcdef');
    expect(finding.addresses).toEqual(['0xabcdef']);
    expect(finding.metadata).not.toHaveProperty('to');
    expect(finding.metadata).not.toHaveProperty('tokenContract');
  });

  it('keeps metadata to strings and amounts to exact decimal text', () => {
    const huge = { ...account, amount: 2n ** 200n, decimals: 18 };
    const metadata = ruleFinding(rule, huge).metadata;
    expect(Object.values(metadata).every((value) => typeof value === 'string')).toBe(true);
    expect(metadata.amountBaseUnits).toBe((2n ** 200n).toString());
    expect(metadata.amount).toBe('1606938044258990275541962092341162602522202.993782792835301376');
  });
});
