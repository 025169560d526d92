import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import type { ManualClock } from '../../core/clock.js';
import { isVigilError, type ErrorCode } from '../../core/errors.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { event, testVigil } from '../../../test/support/vigil.js';
import type { ApprovalDecision, ApprovalRequest } from './approval.js';
import { verifyApproval } from './approval-service.js';
import { approvalMessage, approvalPayload, generateApproverKeyPair, signApprovalMessage, verifyApprovalMessage } from './approval-signing.js';

const admin = { kind: 'token', id: 'tok-admin', name: 'admin' } as const;

async function code(work: Promise<unknown>): Promise<ErrorCode> {
  try {
    await work;
  } catch (error) {
    if (isVigilError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a VigilError');
}

describe('Ed25519 approval signatures', () => {
  it('a signature made with node:crypto verifies with the public key, and not over another decision, approver or request', () => {
    const { privateKey, publicKey } = generateApproverKeyPair();
    const other = generateApproverKeyPair();
    const payload = { v: 1, id: 'req-1', nonce: 'n', action: 'resume_withdrawals' };
    const message = approvalMessage({ payload, approver: 'alice', decision: 'approve' });
    const signature = signApprovalMessage(privateKey, message);
    expect(verifyApprovalMessage({ publicKey, message, signature })).toBe(true);
    expect(verifyApprovalMessage({ publicKey: other.publicKey, message, signature })).toBe(false);
    expect(verifyApprovalMessage({ publicKey, message: approvalMessage({ payload, approver: 'alice', decision: 'reject' }), signature })).toBe(false);
    expect(verifyApprovalMessage({ publicKey, message: approvalMessage({ payload, approver: 'bob', decision: 'approve' }), signature })).toBe(false);
    expect(verifyApprovalMessage({ publicKey, message: approvalMessage({ payload: { ...payload, nonce: 'm' }, approver: 'alice', decision: 'approve' }), signature })).toBe(false);
    expect(verifyApprovalMessage({ publicKey, message, signature: 'not base64!' })).toBe(false);
  });
});

describe('M-of-N approvals', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  const keys = { alice: generateApproverKeyPair(), bob: generateApproverKeyPair(), carol: generateApproverKeyPair(), mallory: generateApproverKeyPair() };
  type Who = keyof typeof keys;

  beforeEach(async () => {
    ({ vigil, clock } = await testVigil());
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: admin });
    await vigil.ingest((await vigil.store.read.getIntegration(id))!, [event({ labels: { alertname: 'WithdrawalsPaused' } })]);
    await vigil.store.write(async (tx) => {
      for (const handle of ['alice', 'bob', 'carol', 'mallory'] as const) await vigil.approvals.registerApprover(tx, { handle, publicKey: keys[handle].publicKey, actor: admin });
      await vigil.approvals.putPolicy(tx, { action: 'resume_withdrawals', m: 2, approvers: ['alice', 'bob', 'carol'], actor: admin });
    });
  });
  afterEach(async () => vigil.close());

  const newRequest = () =>
    vigil.store.write((tx) =>
      vigil.approvals.request(tx, { incident: 'INC-1', action: 'resume_withdrawals', parameters: { chain: 'bitcoin' }, reason: 'reconciled, root cause fixed', actor: admin }),
    );
  const sign = (request: ApprovalRequest, who: Who, decision: ApprovalDecision = 'approve', as: string = who) =>
    signApprovalMessage(keys[who].privateKey, approvalMessage({ payload: approvalPayload(request), approver: as, decision }));
  const decide = (request: ApprovalRequest, who: string, signature: string, decision: ApprovalDecision = 'approve') =>
    vigil.store.write((tx) => vigil.approvals.decide(tx, { id: request.id, approver: who, decision, signature, actor: admin }));
  const execute = (request: ApprovalRequest) => vigil.store.write((tx) => vigil.approvals.execute(tx, { id: request.id, output: 'resumed BTC withdrawals', actor: admin }));

  it('reaches a 2-of-3 quorum, blocks execution until then, and records it all on the timeline and audit chain', async () => {
    const request = await newRequest();
    expect(request).toMatchObject({ status: 'pending', m: 2, approvers: ['alice', 'bob', 'carol'] });
    expect(await code(execute(request))).toBe('QUORUM_NOT_MET');
    expect((await decide(request, 'alice', sign(request, 'alice'))).request.status).toBe('pending');
    expect(await code(execute(request))).toBe('QUORUM_NOT_MET');
    expect((await decide(request, 'carol', sign(request, 'carol'))).request.status).toBe('approved');
    expect((await execute(request)).status).toBe('executed');
    expect(await code(execute(request))).toBe('APPROVAL_CLOSED');
    expect(await code(decide(request, 'bob', sign(request, 'bob')))).toBe('APPROVAL_CLOSED');

    const timeline = (await vigil.store.read.listTimeline(request.incidentId!)).map((e) => e.message);
    expect(timeline).toEqual(
      expect.arrayContaining([
        'Approval requested for resume_withdrawals (chain=bitcoin): 2 of alice, bob, carol',
        'alice approved resume_withdrawals (1 of 2 approvals)',
        'carol approved resume_withdrawals (2 of 2 approvals); quorum reached, resume_withdrawals may be executed',
        'resume_withdrawals executed: resumed BTC withdrawals',
      ]),
    );
    const actions = (await vigil.store.read.listAuditRecords(0, 1000)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['approver.key_registered', 'approval_policy.created', 'approval.requested', 'approval.approved', 'approval.executed']));
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
    expect(await verifyApproval(vigil.store.read, request.id)).toMatchObject({ ok: true, validApprovals: 2, status: 'executed' });
  });

  it('refuses an approval by the person who requested the action: four eyes, not two', async () => {
    const token = await vigil.createApiToken({ role: 'responder', name: 'alice laptop', person: 'alice', actor: admin });
    const asAlice = { kind: 'token', id: token.id, name: 'alice laptop' } as const;
    const request = await vigil.store.write((tx) =>
      vigil.approvals.request(tx, { incident: 'INC-1', action: 'resume_withdrawals', parameters: { chain: 'bitcoin' }, reason: 'reconciled', actor: asAlice }),
    );
    expect(await code(decide(request, 'alice', sign(request, 'alice')))).toBe('NOT_AN_APPROVER');
    // She may still reject her own request; the others approve it.
    expect((await decide(request, 'bob', sign(request, 'bob'))).request.status).toBe('pending');
    expect((await decide(request, 'carol', sign(request, 'carol'))).request.status).toBe('approved');
  });

  it('refuses a non-approver, a double approval and a tampered or misattributed signature', async () => {
    const request = await newRequest();
    expect(await code(decide(request, 'mallory', sign(request, 'mallory')))).toBe('NOT_AN_APPROVER');
    const good = sign(request, 'alice');
    const flipped = Buffer.from(good, 'base64');
    flipped[10] = flipped[10]! ^ 1;
    expect(await code(decide(request, 'alice', flipped.toString('base64')))).toBe('INVALID_SIGNATURE');
    expect(await code(decide(request, 'alice', sign(request, 'mallory', 'approve', 'alice')))).toBe('INVALID_SIGNATURE');
    expect(await code(decide(request, 'alice', sign(request, 'alice', 'reject')))).toBe('INVALID_SIGNATURE');
    await decide(request, 'alice', good);
    expect(await code(decide(request, 'alice', good))).toBe('ALREADY_DECIDED');
    expect(await vigil.store.read.listApprovalSignatures(request.id)).toHaveLength(1);
  });

  it('rejects once the remaining approvers can no longer reach the quorum', async () => {
    const request = await newRequest();
    expect((await decide(request, 'alice', sign(request, 'alice', 'reject'), 'reject')).request.status).toBe('pending');
    expect((await decide(request, 'bob', sign(request, 'bob', 'reject'), 'reject')).request.status).toBe('rejected');
    expect(await code(execute(request))).toBe('APPROVAL_CLOSED');
  });

  it('refuses decisions after the request expired, requests without a policy, and policies that cannot be met', async () => {
    const request = await newRequest();
    clock.advance(24 * 3_600_000);
    expect(await code(decide(request, 'alice', sign(request, 'alice')))).toBe('APPROVAL_EXPIRED');
    expect(
      await code(vigil.store.write((tx) => vigil.approvals.request(tx, { action: 'unpause_contract', parameters: {}, reason: 'fixed', actor: admin }))),
    ).toBe('NO_APPROVAL_POLICY');
    expect(await code(vigil.store.write((tx) => vigil.approvals.putPolicy(tx, { action: 'unpause_contract', m: 3, approvers: ['alice', 'bob'], actor: admin })))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('a revoked key signs nothing new, but what it signed before still verifies', async () => {
    const request = await newRequest();
    await decide(request, 'alice', sign(request, 'alice'));
    clock.advance(60_000);
    await vigil.store.write((tx) => vigil.approvals.revokeApprover(tx, { handle: 'alice', actor: admin }));
    const next = await newRequest();
    expect(await code(decide(next, 'alice', sign(next, 'alice')))).toBe('NOT_AN_APPROVER');
    expect((await verifyApproval(vigil.store.read, request.id)).ok).toBe(true);
  });

  it('verify later detects a stored signature or request changed by hand, and execution is refused', async () => {
    const request = await newRequest();
    await decide(request, 'alice', sign(request, 'alice'));
    await decide(request, 'bob', sign(request, 'bob'));
    const [first] = await vigil.store.read.listApprovalSignatures(request.id);
    // Someone with database access swaps alice's signature for another valid-looking one.
    await vigil.store.write(async (tx) => {
      const forged = signApprovalMessage(keys.mallory.privateKey, approvalMessage({ payload: approvalPayload(request), approver: 'alice', decision: 'approve' }));
      await tx.insertApprovalSignature({ ...first!, id: 'x', requestId: request.id, approver: 'zed', signature: forged });
    });
    const afterForgery = await verifyApproval(vigil.store.read, request.id);
    expect(afterForgery.ok).toBe(false);
    expect(afterForgery.signatures.find((s) => s.approver === 'zed')).toMatchObject({ ok: false });

    // Or widens the request itself after it was approved: the signatures no longer cover it.
    await vigil.store.write((tx) => tx.updateApprovalRequest({ ...request, status: 'approved', parameters: { chain: 'ethereum' } }));
    const widened = await verifyApproval(vigil.store.read, request.id);
    expect(widened.ok).toBe(false);
    expect(widened.validApprovals).toBe(0);
    expect(await code(execute(request))).toBe('QUORUM_NOT_MET');
  });
});
