import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIncident } from '../../respond/incident-actions.js';
import { findApprovalRequest, verifyApproval } from '../../respond/approvals/approval-service.js';
import { approvalPayload } from '../../respond/approvals/approval-signing.js';
import type { HttpDeps } from '../http-deps.js';
import { presentApproval, presentApprovalVerification, presentApprover, presentPolicy, presentSignature } from '../present-playbooks.js';

const security = [{ bearer: [] }];
const idParams = z.object({ id: z.string().min(1).max(64).describe('Approval request id') });
const handle = z.string().min(1).max(64).describe('Approver handle, such as alice');
const action = z.string().min(1).max(80).describe('Action, such as resume_withdrawals');
const statuses = ['pending', 'approved', 'rejected', 'executed'] as const;

/**
 * M-of-N approvals: approvers' Ed25519 keys and policies (admin), requests (responders), signed
 * decisions, execution once the quorum is met, and verification of every stored signature.
 */
export function approvalRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { vigil, auth } = deps;

  typed.post(
    '/api/v1/approvers',
    {
      schema: {
        summary: "Register an approver's Ed25519 public key (SPKI PEM)",
        tags: ['approvals'],
        security,
        body: z.strictObject({ handle, publicKey: z.string().min(1).max(4000).describe('SPKI PEM, as written by vigil approver keygen') }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'admin');
      const approver = await vigil.store.write((tx) => vigil.approvals.registerApprover(tx, { ...request.body, actor }));
      return reply.status(201).send({ approver: presentApprover(approver) });
    },
  );

  typed.get(
    '/api/v1/approvers',
    { schema: { summary: "Approvers' keys", tags: ['approvals'], security, querystring: z.object({ includeRevoked: z.enum(['true', 'false']).default('false') }) } },
    async (request) => {
      await auth.requireRole(request, 'admin');
      return { approvers: (await vigil.store.read.listApprovers({ includeRevoked: request.query.includeRevoked === 'true' })).map(presentApprover) };
    },
  );

  typed.post(
    '/api/v1/approvers/:handle/revoke',
    { schema: { summary: "Revoke an approver's key; signatures it made stay verifiable", tags: ['approvals'], security, params: z.object({ handle }) } },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const approver = await vigil.store.write((tx) => vigil.approvals.revokeApprover(tx, { handle: request.params.handle, actor }));
      return { approver: presentApprover(approver) };
    },
  );

  typed.put(
    '/api/v1/approval-policies/:action',
    {
      schema: {
        summary: 'Set who approves an action: M of the N named approvers',
        tags: ['approvals'],
        security,
        params: z.object({ action }),
        body: z.strictObject({ m: z.int().min(1).max(100), approvers: z.array(handle).min(1).max(100), description: z.string().max(500).optional() }),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'admin');
      const { m, approvers, description } = request.body;
      const policy = await vigil.store.write((tx) =>
        vigil.approvals.putPolicy(tx, { action: request.params.action, m, approvers, ...(description === undefined ? {} : { description }), actor }),
      );
      return { policy: presentPolicy(policy) };
    },
  );

  typed.get('/api/v1/approval-policies', { schema: { summary: 'Approval policies', tags: ['approvals'], security } }, async (request) => {
    await auth.requireRole(request, 'viewer');
    return { policies: (await vigil.store.read.listApprovalPolicies()).map(presentPolicy) };
  });

  typed.post(
    '/api/v1/approvals',
    {
      schema: {
        summary: 'Request approval of a dangerous action; answers the payload approvers sign',
        tags: ['approvals'],
        security,
        body: z.strictObject({
          incident: z.string().min(1).max(64).optional().describe('Incident id or short id'),
          action,
          parameters: z.record(z.string().min(1).max(80), z.string().max(500)).default({}).describe('What exactly, e.g. { "chain": "bitcoin" }'),
          reason: z.string().trim().min(1).max(2000),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { incident, ...rest } = request.body;
      const approval = await vigil.store.write((tx) => vigil.approvals.request(tx, { ...rest, ...(incident === undefined ? {} : { incident }), actor }));
      return reply.status(201).send({ approval: presentApproval(approval), payload: approvalPayload(approval) });
    },
  );

  typed.get(
    '/api/v1/approvals',
    {
      schema: {
        summary: 'Approval requests, newest first',
        tags: ['approvals'],
        security,
        querystring: z.object({
          status: z.enum(statuses).optional(),
          incident: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const { status, incident, limit } = request.query;
      const incidentId = incident === undefined ? undefined : (await findIncident(vigil.store.read, incident)).id;
      const list = await vigil.store.read.listApprovalRequests({
        limit,
        ...(status === undefined ? {} : { statuses: [status] }),
        ...(incidentId === undefined ? {} : { incidentId }),
      });
      return { approvals: list.map((a) => presentApproval(a)) };
    },
  );

  typed.get(
    '/api/v1/approvals/:id',
    { schema: { summary: 'A request, the canonical payload approvers sign, and the signatures so far', tags: ['approvals'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      const approval = await findApprovalRequest(vigil.store.read, request.params.id);
      const signatures = await vigil.store.read.listApprovalSignatures(approval.id);
      return { approval: presentApproval(approval, signatures), payload: approvalPayload(approval), signatures: signatures.map(presentSignature) };
    },
  );

  typed.post(
    '/api/v1/approvals/:id/signatures',
    {
      schema: {
        summary:
          "Submit an approver's signed decision. The signature is Ed25519 over the RFC 8785 canonical JSON of { approver, decision, request: payload }, base64.",
        tags: ['approvals'],
        security,
        params: idParams,
        body: z.strictObject({
          approver: handle,
          decision: z.enum(['approve', 'reject']),
          signature: z.string().min(1).max(200),
          comment: z.string().max(2000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = await auth.requireRole(request, 'responder');
      const { approver, decision, signature, comment } = request.body;
      const result = await vigil.store.write((tx) =>
        vigil.approvals.decide(tx, { id: request.params.id, approver, decision, signature, ...(comment === undefined ? {} : { comment }), actor }),
      );
      const signatures = await vigil.store.read.listApprovalSignatures(request.params.id);
      return reply.status(201).send({ approval: presentApproval(result.request, signatures), signature: presentSignature(result.signature) });
    },
  );

  typed.post(
    '/api/v1/approvals/:id/execute',
    {
      schema: {
        summary: 'Mark the approved action executed, with its output (409 QUORUM_NOT_MET before the quorum)',
        tags: ['approvals'],
        security,
        params: idParams,
        body: z.strictObject({ output: z.string().max(20_000).default('') }).nullish(),
      },
    },
    async (request) => {
      const actor = await auth.requireRole(request, 'responder');
      const executed = await vigil.store.write((tx) => vigil.approvals.execute(tx, { id: request.params.id, output: request.body?.output ?? '', actor }));
      return { approval: presentApproval(executed, await vigil.store.read.listApprovalSignatures(executed.id)) };
    },
  );

  typed.get(
    '/api/v1/approvals/:id/verify',
    { schema: { summary: 'Re-verify every stored signature against the key it was made with', tags: ['approvals'], security, params: idParams } },
    async (request) => {
      await auth.requireRole(request, 'viewer');
      return presentApprovalVerification(await verifyApproval(vigil.store.read, request.params.id));
    },
  );
}
