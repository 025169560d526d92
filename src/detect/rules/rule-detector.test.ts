import { describe, expect, it } from 'vitest';
import type { AccountTransaction } from '../../core/transaction.js';
import { DetectionEngine } from '../detection-engine.js';
import { loadRules } from './load-rules.js';
import { RuleDetector } from './rule-detector.js';

const hotWallet = '0x1111111111111111111111111111111111111111';
const tx: AccountTransaction = {
  kind: 'account',
  chain: 'ethereum',
  hash: '0x01',
  asset: 'ETH',
  decimals: 18,
  fee: 0n,
  block: 1,
  timestamp: 1_700_000_000_000,
  status: 'failed',
  from: hotWallet,
  to: '0x2222222222222222222222222222222222222222',
  amount: 2n * 10n ** 18n,
  nonce: 1,
  tokenContract: null,
  logs: [],
};

const rules = loadRules([
  { id: 'failed-from-hot', name: 'Failed transaction from the hot wallet', severity: 'Medium', type: 'Degraded', expression: `status == "failed" AND from == "${hotWallet}"` },
  { id: 'big-eth', name: 'More than 1 ETH', severity: 'High', type: 'Info', expression: 'asset == "ETH" AND amount > 1 ether', kind: 'account' },
  { id: 'btc-only', name: 'Any BTC', severity: 'Low', type: 'Info', expression: 'true', kind: 'utxo' },
]);

describe('RuleDetector', () => {
  it('returns one finding per matching rule, in rule order', () => {
    const detector = new RuleDetector({ rules });
    expect(detector.observe(tx).map((f) => f.alertId)).toEqual(['VIGIL-RULE-failed-from-hot', 'VIGIL-RULE-big-eth']);
    expect(detector.observe({ ...tx, status: 'success', amount: 1n })).toEqual([]);
  });

  it('runs in the detection engine under its name', () => {
    const engine = new DetectionEngine({ detectors: [new RuleDetector({ rules, name: 'team-rules' })] });
    expect(engine.observe(tx)).toHaveLength(2);
    expect(engine.stats()).toEqual([{ name: 'team-rules', transactions: 1, findings: 2, suppressed: 0, errors: 0 }]);
    expect(new RuleDetector({ rules }).name).toBe('rules');
  });
});
