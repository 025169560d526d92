import type { Actor } from '../../core/actor.js';

/** A person allowed to approve, with one registered Ed25519 public key. */
export interface Approver {
  readonly id: string;
  /** `alice`: what policies name. */
  readonly handle: string;
  /** SPKI PEM. */
  readonly publicKey: string;
  /** SHA-256 of the key's DER (SPKI), lowercase hex: what each signature records. */
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** M of the N named approvers must approve an action before it may be executed. */
export interface ApprovalPolicy {
  readonly action: string;
  readonly m: number;
  readonly approvers: readonly string[];
  readonly description: string;
  readonly updatedAt: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'executed';
export type ApprovalDecision = 'approve' | 'reject';

/**
 * A request to perform a dangerous action. Its facts (action, parameters, policy at the time,
 * nonce) form the canonical payload every approver signs.
 */
export interface ApprovalRequest {
  readonly id: string;
  readonly incidentId: string | null;
  readonly action: string;
  /** What exactly: `{ chain: 'ethereum', wallet: 'hot-1' }`. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly reason: string;
  readonly requester: Actor;
  /** Random, so two requests with the same facts never share a signature. */
  readonly nonce: string;
  /** The policy as it was when requested. */
  readonly m: number;
  readonly approvers: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly status: ApprovalStatus;
  readonly decidedAt: number | null;
  readonly executedAt: number | null;
  readonly executedBy: Actor | null;
  readonly output: string | null;
}

/** One approver's signed decision on one request. */
export interface ApprovalSignature {
  readonly id: string;
  readonly requestId: string;
  readonly approver: string;
  readonly decision: ApprovalDecision;
  /** Ed25519 signature, base64. */
  readonly signature: string;
  /** The fingerprint of the key it was verified with when it was submitted. */
  readonly keyFingerprint: string;
  readonly comment: string | null;
  readonly at: number;
}

/** The actions that need approvals out of the box; operators add others with a policy. */
export const builtinApprovalActions: Readonly<Record<string, string>> = {
  resume_withdrawals: 'Resume withdrawals that were paused during an incident',
  rotate_hot_wallet_keys: 'Rotate the signing keys of a hot wallet',
  unpause_contract: 'Unpause a smart contract that was paused during an incident',
};
