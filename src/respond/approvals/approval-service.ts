import type { Actor } from '../../core/actor.js';
import { personOfActor } from '../person-of-actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { findIncident } from '../incident-actions.js';
import { builtinApprovalActions, type ApprovalDecision, type ApprovalPolicy, type ApprovalRequest, type ApprovalSignature, type Approver } from './approval.js';
import { approvalMessage, approvalPayload, normalisePublicKey, verifyApprovalMessage } from './approval-signing.js';

const handlePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const actionPattern = /^[a-z0-9][a-z0-9_]{0,79}$/;

export interface ApprovalServiceOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  /** How long a request may collect approvals. */
  readonly requestTtlMs?: number;
}

/** What `verify` finds about one stored signature. */
export interface SignatureCheck {
  readonly approver: string;
  readonly decision: ApprovalDecision;
  readonly keyFingerprint: string;
  readonly at: number;
  readonly ok: boolean;
  readonly problem: string | null;
}

export interface ApprovalVerification {
  readonly requestId: string;
  readonly status: ApprovalRequest['status'];
  /** Every signature verifies and the status agrees with the valid approvals. */
  readonly ok: boolean;
  readonly validApprovals: number;
  readonly m: number;
  readonly signatures: readonly SignatureCheck[];
  readonly problems: readonly string[];
}

/** Finds an approval request; NOT_FOUND otherwise. */
export async function findApprovalRequest(reader: StoreReader, id: string): Promise<ApprovalRequest> {
  const found = await reader.getApprovalRequest(id);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no approval request ${id}`);
  return found;
}

function invalid(path: string, message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] });
}

/**
 * M-of-N approvals for dangerous recovery actions. Approvers register an Ed25519 public key; a
 * request carries a canonical payload that each approver signs on their own machine; the server
 * verifies every signature against the approver's key, and the action stays blocked until the
 * quorum is met. Every step is on the audit chain, and on the incident's timeline when the
 * request belongs to one.
 */
export class ApprovalService {
  readonly #options: ApprovalServiceOptions;

  constructor(options: ApprovalServiceOptions) {
    this.#options = options;
  }

  async registerApprover(tx: StoreTx, request: { handle: string; publicKey: string; actor: Actor }): Promise<Approver> {
    if (!handlePattern.test(request.handle)) throw invalid('handle', 'must be lowercase letters, digits, . _ - (at most 64)');
    const { publicKey, fingerprint } = normalisePublicKey(request.publicKey);
    const approver: Approver = { id: this.#options.ids.id(), handle: request.handle, publicKey, fingerprint, createdAt: this.#options.clock.now(), revokedAt: null };
    await tx.insertApprover(approver);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'approver.key_registered',
      subject: `approver:${approver.handle}`,
      data: { handle: approver.handle, fingerprint, publicKey },
    });
    return approver;
  }

  /** Revokes the approver's live key: it signs nothing from now on; past signatures still verify. */
  async revokeApprover(tx: StoreTx, request: { handle: string; actor: Actor }): Promise<Approver> {
    const live = await tx.getApprover(request.handle);
    if (live === undefined) throw new VigilError('NOT_FOUND', `${request.handle} has no registered key`);
    const revoked: Approver = { ...live, revokedAt: this.#options.clock.now() };
    await tx.updateApprover(revoked);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'approver.key_revoked',
      subject: `approver:${live.handle}`,
      data: { handle: live.handle, fingerprint: live.fingerprint },
    });
    return revoked;
  }

  /** Sets who approves an action and how many must: M of the N named approvers. */
  async putPolicy(tx: StoreTx, request: { action: string; m: number; approvers: readonly string[]; description?: string; actor: Actor }): Promise<ApprovalPolicy> {
    if (!actionPattern.test(request.action)) throw invalid('action', 'must be lowercase letters, digits and _ (at most 80)');
    const approvers = [...new Set(request.approvers.map((a) => a.trim()))];
    if (approvers.length === 0) throw invalid('approvers', 'must name at least one approver');
    const bad = approvers.find((a) => !handlePattern.test(a));
    if (bad !== undefined) throw invalid('approvers', `${JSON.stringify(bad)} is not a handle`);
    if (!Number.isInteger(request.m) || request.m < 1 || request.m > approvers.length) throw invalid('m', `must be between 1 and ${approvers.length} (the number of approvers)`);
    const existing = await tx.getApprovalPolicy(request.action);
    const policy: ApprovalPolicy = {
      action: request.action,
      m: request.m,
      approvers,
      description: request.description?.trim() || existing?.description || builtinApprovalActions[request.action] || request.action.replaceAll('_', ' '),
      updatedAt: this.#options.clock.now(),
    };
    await tx.putApprovalPolicy(policy);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'approval_policy.created' : 'approval_policy.updated',
      subject: `approval_policy:${policy.action}`,
      data: { action: policy.action, m: policy.m, approvers: [...policy.approvers] },
    });
    return policy;
  }

  /** Asks for approval of an action; NO_APPROVAL_POLICY until a policy names its approvers. */
  async request(
    tx: StoreTx,
    request: { incident?: string; action: string; parameters: Readonly<Record<string, string>>; reason: string; actor: Actor },
  ): Promise<ApprovalRequest> {
    const policy = await tx.getApprovalPolicy(request.action);
    if (policy === undefined) {
      throw new VigilError('NO_APPROVAL_POLICY', `no approval policy for ${request.action}; an admin sets one (vigil approval policy set ${request.action} --m 2 --approvers a,b,c)`);
    }
    const reason = request.reason.trim();
    if (reason === '') throw invalid('reason', 'is required');
    const incident = request.incident === undefined ? undefined : await findIncident(tx, request.incident);
    const now = this.#options.clock.now();
    const approval: ApprovalRequest = {
      id: this.#options.ids.id(),
      incidentId: incident?.id ?? null,
      action: policy.action,
      parameters: { ...request.parameters },
      reason,
      requester: request.actor,
      nonce: this.#options.ids.secret(16),
      m: policy.m,
      approvers: policy.approvers,
      createdAt: now,
      expiresAt: now + (this.#options.requestTtlMs ?? 24 * 3_600_000),
      status: 'pending',
      decidedAt: null,
      executedAt: null,
      executedBy: null,
      output: null,
    };
    await tx.insertApprovalRequest(approval);
    const params = Object.entries(approval.parameters).map(([k, v]) => `${k}=${v}`).join(', ');
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'approval.requested',
      subject: `approval:${approval.id}`,
      data: { requestId: approval.id, action: approval.action, parameters: { ...approval.parameters }, reason, m: approval.m, approvers: [...approval.approvers], incidentId: approval.incidentId },
      ...(incident === undefined
        ? {}
        : {
            timeline: {
              incidentId: incident.id,
              kind: 'approval.requested' as const,
              message: `Approval requested for ${approval.action}${params === '' ? '' : ` (${params})`}: ${approval.m} of ${approval.approvers.join(', ')}`,
            },
          }),
    });
    return approval;
  }

  /**
   * Records an approver's signed decision. Refused: a closed or expired request, someone not
   * named by the request, a second decision by the same approver, an approver without a live
   * key, a signature that does not verify. At M approvals the request is approved; once the
   * remaining approvers can no longer reach M it is rejected.
   */
  async decide(
    tx: StoreTx,
    request: { id: string; approver: string; decision: ApprovalDecision; signature: string; comment?: string; actor: Actor },
  ): Promise<{ request: ApprovalRequest; signature: ApprovalSignature }> {
    const approval = await findApprovalRequest(tx, request.id);
    const now = this.#options.clock.now();
    if (approval.status !== 'pending') throw new VigilError('APPROVAL_CLOSED', `approval request ${approval.id} is already ${approval.status}`);
    if (now >= approval.expiresAt) throw new VigilError('APPROVAL_EXPIRED', `approval request ${approval.id} expired at ${new Date(approval.expiresAt).toISOString()}`);
    if (!approval.approvers.includes(request.approver)) {
      throw new VigilError('NOT_AN_APPROVER', `${request.approver} is not an approver of ${approval.action} (approvers: ${approval.approvers.join(', ')})`);
    }
    // Four eyes: whoever asked for the action cannot also count toward its quorum.
    if (request.decision === 'approve' && (await personOfActor(tx, approval.requester)) === request.approver) {
      throw new VigilError('NOT_AN_APPROVER', `${request.approver} requested ${approval.id} and cannot also approve it; another approver must`);
    }
    const signatures = await tx.listApprovalSignatures(approval.id);
    if (signatures.some((s) => s.approver === request.approver)) throw new VigilError('ALREADY_DECIDED', `${request.approver} has already decided on ${approval.id}`);
    const key = await tx.getApprover(request.approver);
    if (key === undefined) throw new VigilError('NOT_AN_APPROVER', `${request.approver} has no registered key`);
    const message = approvalMessage({ payload: approvalPayload(approval), approver: request.approver, decision: request.decision });
    if (!verifyApprovalMessage({ publicKey: key.publicKey, message, signature: request.signature })) {
      throw new VigilError('INVALID_SIGNATURE', `the signature does not verify against ${request.approver}'s key ${key.fingerprint.slice(0, 16)}… for this request and decision`);
    }
    const signature: ApprovalSignature = {
      id: this.#options.ids.id(),
      requestId: approval.id,
      approver: request.approver,
      decision: request.decision,
      signature: request.signature,
      keyFingerprint: key.fingerprint,
      comment: request.comment?.trim() || null,
      at: now,
    };
    await tx.insertApprovalSignature(signature);
    const all = [...signatures, signature];
    const approvals = all.filter((s) => s.decision === 'approve').length;
    const rejections = all.filter((s) => s.decision === 'reject').length;
    const status = approvals >= approval.m ? 'approved' : approval.approvers.length - rejections < approval.m ? 'rejected' : 'pending';
    const updated: ApprovalRequest = status === 'pending' ? approval : { ...approval, status, decidedAt: now };
    if (status !== 'pending') await tx.updateApprovalRequest(updated);
    const verb = request.decision === 'approve' ? 'approved' : 'rejected';
    const outcome = status === 'approved' ? `; quorum reached, ${approval.action} may be executed` : status === 'rejected' ? `; quorum can no longer be reached, request rejected` : '';
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: `approval.${verb}`,
      subject: `approval:${approval.id}`,
      data: {
        requestId: approval.id,
        action: approval.action,
        approver: request.approver,
        decision: request.decision,
        signature: signature.signature,
        keyFingerprint: key.fingerprint,
        approvals,
        rejections,
        m: approval.m,
        status,
        ...(signature.comment === null ? {} : { comment: signature.comment }),
      },
      ...(approval.incidentId === null
        ? {}
        : {
            timeline: {
              incidentId: approval.incidentId,
              kind: request.decision === 'approve' ? ('approval.approved' as const) : ('approval.rejected' as const),
              message: `${request.approver} ${verb} ${approval.action} (${approvals} of ${approval.m} approvals)${outcome}`,
            },
          }),
    });
    return { request: updated, signature };
  }

  /**
   * Marks the approved action as done, with what it produced. QUORUM_NOT_MET while pending; the
   * approving signatures are verified once more so that a tampered row cannot unlock it.
   */
  async execute(tx: StoreTx, request: { id: string; output: string; actor: Actor }): Promise<ApprovalRequest> {
    const approval = await findApprovalRequest(tx, request.id);
    if (approval.status === 'pending') {
      const approvals = (await tx.listApprovalSignatures(approval.id)).filter((s) => s.decision === 'approve').length;
      throw new VigilError('QUORUM_NOT_MET', `${approval.action} needs ${approval.m} approvals and has ${approvals}; it may not be executed yet`);
    }
    if (approval.status !== 'approved') throw new VigilError('APPROVAL_CLOSED', `approval request ${approval.id} is ${approval.status}; it cannot be executed`);
    const check = await verifyApproval(tx, approval.id);
    if (!check.ok) throw new VigilError('QUORUM_NOT_MET', `the approvals of ${approval.id} no longer verify: ${check.problems.join('; ')}`);
    const output = request.output.trim();
    const now = this.#options.clock.now();
    const executed: ApprovalRequest = { ...approval, status: 'executed', executedAt: now, executedBy: request.actor, output: output === '' ? null : output };
    await tx.updateApprovalRequest(executed);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'approval.executed',
      subject: `approval:${approval.id}`,
      data: { requestId: approval.id, action: approval.action, parameters: { ...approval.parameters }, output: executed.output },
      ...(approval.incidentId === null
        ? {}
        : { timeline: { incidentId: approval.incidentId, kind: 'approval.executed' as const, message: `${approval.action} executed${executed.output === null ? '' : `: ${executed.output}`}` } }),
    });
    return executed;
  }
}

/**
 * Re-verifies every stored signature of a request against the key it was made with (found by the
 * fingerprint stored beside it, revoked or not), over the payload rebuilt from the stored
 * request, and checks that the request's status agrees with the valid approvals.
 */
export async function verifyApproval(reader: StoreReader, id: string): Promise<ApprovalVerification> {
  const approval = await findApprovalRequest(reader, id);
  const payload = approvalPayload(approval);
  const signatures: SignatureCheck[] = [];
  for (const s of await reader.listApprovalSignatures(approval.id)) {
    const key = await reader.findApproverKey(s.keyFingerprint);
    let problem: string | null = null;
    if (key === undefined) problem = `no registered key has fingerprint ${s.keyFingerprint}`;
    else if (key.handle !== s.approver) problem = `key ${s.keyFingerprint.slice(0, 16)}… belongs to ${key.handle}, not ${s.approver}`;
    else if (normalisePublicKey(key.publicKey).fingerprint !== s.keyFingerprint) problem = `the stored key of ${key.handle} does not match its fingerprint`;
    else if (key.createdAt > s.at || (key.revokedAt !== null && key.revokedAt < s.at)) problem = `${s.approver}'s key was not live when the signature was made`;
    else if (!approval.approvers.includes(s.approver)) problem = `${s.approver} is not an approver of this request`;
    else if (!verifyApprovalMessage({ publicKey: key.publicKey, message: approvalMessage({ payload, approver: s.approver, decision: s.decision }), signature: s.signature })) {
      problem = 'the signature does not verify over this request';
    }
    signatures.push({ approver: s.approver, decision: s.decision, keyFingerprint: s.keyFingerprint, at: s.at, ok: problem === null, problem });
  }
  const validApprovals = new Set(signatures.filter((s) => s.ok && s.decision === 'approve').map((s) => s.approver)).size;
  const problems = signatures.filter((s) => !s.ok).map((s) => `${s.approver}: ${s.problem ?? ''}`);
  if ((approval.status === 'approved' || approval.status === 'executed') && validApprovals < approval.m) {
    problems.push(`the request is ${approval.status} but only ${validApprovals} of ${approval.m} approvals verify`);
  }
  return { requestId: approval.id, status: approval.status, ok: problems.length === 0, validApprovals, m: approval.m, signatures, problems };
}

