import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import type { Integration } from '../../core/access.js';
import { isVigilError, type ErrorCode } from '../../core/errors.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { event, testVigil } from '../../../test/support/vigil.js';
import { approvalMessage, approvalPayload, generateApproverKeyPair, signApprovalMessage } from '../approvals/approval-signing.js';

const ana = { kind: 'token', id: 'tok-ana', name: 'ana' } as const;
const txHash = `0x${'ab'.repeat(32)}`;
const address = `0x${'12'.repeat(20)}`;

async function code(work: Promise<unknown>): Promise<ErrorCode> {
  try {
    await work;
  } catch (error) {
    if (isVigilError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a VigilError');
}

describe('playbook runs on incidents', () => {
  let vigil: Vigil;
  let integration: Integration;
  beforeEach(async () => {
    vigil = (await testVigil()).vigil;
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: ana });
    integration = (await vigil.store.read.getIntegration(id))!;
  });
  afterEach(async () => vigil.close());

  const drain = (overrides: Parameters<typeof event>[0] = {}) =>
    event({ severity: 'critical', summary: 'Hot wallet drained', labels: { alertname: 'HotWalletDrain', chain: 'ethereum' }, ...overrides });
  const runs = async () => vigil.store.read.listPlaybookRuns((await vigil.store.read.getIncidentByNumber(1))!.id);

  it('attaches every matching playbook once when the incident opens, with the reason on the timeline', async () => {
    await vigil.ingest(integration, [drain()]);
    await vigil.ingest(integration, [drain({ dedupKey: 'second', fingerprint: 'second' })]);
    const attached = await runs();
    expect(attached.map((r) => r.playbook.name)).toEqual(['hot-wallet-compromise']);
    expect(attached[0]).toMatchObject({ matched: 'type=hotwalletdrain', source: 'builtin', status: 'in_progress', attachedBy: { kind: 'system' } });
    const timeline = await vigil.store.read.listTimeline(attached[0]!.incidentId);
    const entries = timeline.filter((e) => e.kind === 'playbook.attached');
    expect(entries.map((e) => e.message)).toEqual(['Playbook Hot-wallet compromise or drain attached (matched type=hotwalletdrain)']);
  });

  it('attaches a playbook when a joining alert makes it match, and not before', async () => {
    await vigil.ingest(integration, [event({ labels: { alertname: 'HotWalletBalanceLow' } })]);
    expect(await runs()).toEqual([]);
    await vigil.ingest(integration, [event({ dedupKey: 'halt', fingerprint: 'halt', labels: { alertname: 'ChainHalt', chain: 'solana' } })]);
    expect((await runs()).map((r) => r.playbook.name)).toEqual(['chain-halt']);
  });

  it('matches on criteria met by different alerts of the incident', async () => {
    const yaml = 'name: solana-halt\ntitle: Solana halt\ndescription: d\nmatch: { type: ChainHalt, labels: { chain: solana } }\nsteps:\n  - { id: a, title: A, owner: ic, instructions: x }\n';
    await vigil.store.write((tx) => vigil.playbooks.put(tx, { name: 'solana-halt', body: yaml, actor: ana }));
    await vigil.ingest(integration, [event({ labels: { chain: 'solana' } })]);
    await vigil.ingest(integration, [event({ dedupKey: 'unrelated', fingerprint: 'unrelated', labels: { alertname: 'GasPriceHigh', chain: 'bitcoin' } })]);
    expect((await runs()).map((r) => r.playbook.name)).toEqual([]);
    await vigil.ingest(integration, [event({ dedupKey: 'halt', fingerprint: 'halt', labels: { alertname: 'ChainHalt' } })]);
    expect((await runs()).map((r) => [r.playbook.name, r.matched])).toEqual([
      ['chain-halt', 'type=chainhalt'],
      ['solana-halt', 'type=chainhalt, chain=solana'],
    ]);
  });

  it('keeps a snapshot: replacing the playbook later does not change a run in progress', async () => {
    await vigil.ingest(integration, [drain()]);
    const yaml = 'name: hot-wallet-compromise\ntitle: Replaced\ndescription: d\nsteps:\n  - { id: only, title: Only, owner: ic, instructions: x }\n';
    await vigil.store.write((tx) => vigil.playbooks.put(tx, { name: 'hot-wallet-compromise', body: yaml, actor: ana }));
    const [run] = await runs();
    expect(run!.playbook.title).toBe('Hot-wallet compromise or drain');
    expect(run!.steps.length).toBeGreaterThan(1);
    expect((await vigil.playbooks.catalog.find(vigil.store.read, 'hot-wallet-compromise')).playbook.title).toBe('Replaced');
  });

  it('attaches by hand once, and refuses a second attach or an unknown playbook', async () => {
    await vigil.ingest(integration, [event()]);
    const run = await vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref: 'INC-1', playbook: 'node-desync', actor: ana }));
    expect(run.matched).toBeNull();
    expect(await code(vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref: 'INC-1', playbook: 'node-desync', actor: ana })))).toBe('CONFLICT');
    expect(await code(vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref: 'INC-1', playbook: 'nope', actor: ana })))).toBe('NOT_FOUND');
  });

  it('completes a step with who, when, output, evidence checked by kind, and every check answered', async () => {
    await vigil.ingest(integration, [drain()]);
    const complete = (completion: object) =>
      vigil.store.write((tx) => vigil.playbooks.complete(tx, { ref: 'INC-1', run: 'hot-wallet-compromise', step: 'assess-loss', completion, actor: ana }));
    expect(await code(complete({ evidence: { first_theft_tx: txHash } }))).toBe('VALIDATION_FAILED');
    expect(await code(complete({ evidence: { first_theft_tx: '0x12', attacker_address: address, stolen_amount: '5' } }))).toBe('VALIDATION_FAILED');
    expect(await code(complete({ evidence: { first_theft_tx: txHash, attacker_address: address, stolen_amount: '1.5' } }))).toBe('VALIDATION_FAILED');
    expect(await code(complete({ evidence: { first_theft_tx: txHash, attacker_address: address, stolen_amount: '5', colour: 'red' } }))).toBe('VALIDATION_FAILED');
    const run = await complete({ output: 'two transfers out', evidence: { first_theft_tx: txHash, attacker_address: address, stolen_amount: '4200000000000000000' } });
    const state = run.steps.find((s) => s.stepId === 'assess-loss')!;
    expect(state).toMatchObject({ status: 'completed', by: ana, at: Date.parse('2026-11-23T10:00:00.000Z'), output: 'two transfers out', evidence: { stolen_amount: '4200000000000000000' } });
    expect(await code(complete({ evidence: { first_theft_tx: txHash, attacker_address: address, stolen_amount: '5' } }))).toBe('INVALID_TRANSITION');

    const freeze = (checks: Record<string, boolean>) =>
      vigil.store.write((tx) =>
        vigil.playbooks.complete(tx, { ref: 'INC-1', run: run.id, step: 'freeze-signing', completion: { evidence: { frozen_wallets: 'hot-1' }, checks }, actor: ana }),
      );
    expect(await code(freeze({ 'check-1': true }))).toBe('VALIDATION_FAILED');
    expect((await freeze({ 'check-1': true, 'check-2': false })).steps[0]).toMatchObject({ status: 'completed', checks: { 'check-1': true, 'check-2': false } });
  });

  it('skips a step with a reason and finishes the run when no step is pending', async () => {
    await vigil.ingest(integration, [event()]);
    const yaml = 'name: two\ntitle: Two steps\ndescription: d\nsteps:\n  - { id: a, title: A, owner: ic, instructions: x }\n  - { id: b, title: B, owner: scribe, instructions: y }\n';
    await vigil.store.write((tx) => vigil.playbooks.put(tx, { name: 'two', body: yaml, actor: ana }));
    await vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref: 'INC-1', playbook: 'two', actor: ana }));
    expect(await code(vigil.store.write((tx) => vigil.playbooks.skip(tx, { ref: 'INC-1', run: 'two', step: 'a', reason: ' ', actor: ana })))).toBe('VALIDATION_FAILED');
    await vigil.store.write((tx) => vigil.playbooks.skip(tx, { ref: 'INC-1', run: 'two', step: 'a', reason: 'not our wallet', actor: ana }));
    const done = await vigil.store.write((tx) => vigil.playbooks.complete(tx, { ref: 'INC-1', run: 'two', step: 'b', completion: {}, actor: ana }));
    expect(done.status).toBe('completed');
    expect(done.steps[0]).toMatchObject({ status: 'skipped', reason: 'not our wallet' });
    const messages = (await vigil.store.read.listTimeline(done.incidentId)).map((e) => e.message);
    expect(messages).toContain('Two steps: step A skipped: not our wallet');
    expect(messages).toContain('Two steps: step B completed (playbook two complete)');
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('refuses a step that requires an approval until a request for it reached quorum', async () => {
    await vigil.ingest(integration, [drain()]);
    const rotate = () =>
      vigil.store.write((tx) =>
        vigil.playbooks.complete(tx, {
          ref: 'INC-1',
          run: 'hot-wallet-compromise',
          step: 'rotate-keys',
          completion: { evidence: { new_hot_address: address }, checks: { 'check-1': true, 'check-2': true } },
          actor: ana,
        }),
      );
    expect(await code(rotate())).toBe('APPROVAL_REQUIRED');

    const keys = { alice: generateApproverKeyPair(), bob: generateApproverKeyPair() };
    await vigil.store.write(async (tx) => {
      for (const [handle, pair] of Object.entries(keys)) await vigil.approvals.registerApprover(tx, { handle, publicKey: pair.publicKey, actor: ana });
      await vigil.approvals.putPolicy(tx, { action: 'rotate_hot_wallet_keys', m: 1, approvers: ['alice', 'bob'], actor: ana });
    });
    const request = await vigil.store.write((tx) =>
      vigil.approvals.request(tx, { incident: 'INC-1', action: 'rotate_hot_wallet_keys', parameters: { chain: 'ethereum' }, reason: 'key compromise', actor: ana }),
    );
    expect(await code(rotate())).toBe('APPROVAL_REQUIRED');
    const signature = signApprovalMessage(keys.alice.privateKey, approvalMessage({ payload: approvalPayload(request), approver: 'alice', decision: 'approve' }));
    await vigil.store.write((tx) => vigil.approvals.decide(tx, { id: request.id, approver: 'alice', decision: 'approve', signature, actor: ana }));
    const run = await rotate();
    expect(run.steps.find((s) => s.stepId === 'rotate-keys')).toMatchObject({ status: 'completed', approvalId: request.id });
  });
});
