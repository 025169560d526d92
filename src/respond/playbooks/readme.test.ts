import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybookYaml } from './playbook-schema.js';
import { matchPlaybook } from './playbook-match.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Playbooks and approvals'), readme.indexOf('\n## ', readme.indexOf('## Playbooks and approvals') + 1));

describe('the README on playbooks', () => {
  it('shows a playbook that is valid and matches what it says it matches', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const playbook = parsePlaybookYaml(yaml!);
    expect(playbook.steps.map((s) => s.requiresApproval)).toEqual([undefined, 'rotate_hot_wallet_keys']);
    const alerts = [{ labels: { alertname: 'HotWalletDrain', chain: 'ethereum', wallet: 'hot-eth-1' } }];
    expect(matchPlaybook(playbook, { service: 'wallets', severity: 'SEV1' }, alerts)).toBe('type=hotwalletdrain, service=wallets, severity=SEV1, chain=ethereum, wallet=hot-eth-1');
    expect(matchPlaybook(playbook, { service: 'wallets', severity: 'SEV3' }, alerts)).toBeUndefined();
  });
});
