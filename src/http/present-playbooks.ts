import type { Approver, ApprovalPolicy, ApprovalRequest, ApprovalSignature } from '../respond/approvals/approval.js';
import type { ApprovalVerification } from '../respond/approvals/approval-service.js';
import type { CatalogEntry } from '../respond/playbooks/playbook-catalog.js';
import type { PlaybookRun } from '../respond/playbooks/playbook-run.js';
import { iso } from './present.js';

/** How playbooks, runs and approvals look in the API and in `--json`. */

export function presentPlaybookSummary(entry: CatalogEntry) {
  const { playbook } = entry;
  return {
    name: playbook.name,
    title: playbook.title,
    description: playbook.description,
    source: entry.source,
    match: playbook.match,
    steps: playbook.steps.length,
    updatedAt: iso(entry.updatedAt),
  };
}

export function presentPlaybook(entry: CatalogEntry) {
  return { ...entry.playbook, source: entry.source, sourceText: entry.sourceText, updatedAt: iso(entry.updatedAt) };
}

export function presentRun(run: PlaybookRun) {
  return {
    id: run.id,
    incidentId: run.incidentId,
    playbook: run.playbook.name,
    title: run.playbook.title,
    source: run.source,
    matched: run.matched,
    attachedBy: run.attachedBy,
    attachedAt: iso(run.attachedAt),
    status: run.status,
    updatedAt: iso(run.updatedAt),
    // Each step's definition (from the snapshot) with where it stands.
    steps: run.playbook.steps.map((step, i) => {
      const { stepId: _id, at, ...state } = run.steps[i] ?? { stepId: step.id, status: 'pending' as const, by: null, at: null };
      return { ...step, ...state, at: iso(at) };
    }),
  };
}

export function presentApprover(a: Approver) {
  return { id: a.id, handle: a.handle, fingerprint: a.fingerprint, publicKey: a.publicKey, createdAt: iso(a.createdAt), revokedAt: iso(a.revokedAt) };
}

export function presentPolicy(p: ApprovalPolicy) {
  return { action: p.action, m: p.m, approvers: p.approvers, description: p.description, updatedAt: iso(p.updatedAt) };
}

export function presentSignature(s: ApprovalSignature) {
  return { approver: s.approver, decision: s.decision, signature: s.signature, keyFingerprint: s.keyFingerprint, comment: s.comment, at: iso(s.at) };
}

export function presentApproval(r: ApprovalRequest, signatures: readonly ApprovalSignature[] = []) {
  return {
    id: r.id,
    incidentId: r.incidentId,
    action: r.action,
    parameters: r.parameters,
    reason: r.reason,
    requester: r.requester,
    m: r.m,
    approvers: r.approvers,
    status: r.status,
    approvals: signatures.filter((s) => s.decision === 'approve').map((s) => s.approver),
    rejections: signatures.filter((s) => s.decision === 'reject').map((s) => s.approver),
    createdAt: iso(r.createdAt),
    expiresAt: iso(r.expiresAt),
    decidedAt: iso(r.decidedAt),
    executedAt: iso(r.executedAt),
    executedBy: r.executedBy,
    output: r.output,
  };
}

export function presentApprovalVerification(v: ApprovalVerification) {
  return { ...v, signatures: v.signatures.map((s) => ({ ...s, at: iso(s.at) })) };
}
