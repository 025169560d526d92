import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { approvalMessage, generateApproverKeyPair, signApprovalMessage } from '../../respond/approvals/approval-signing.js';

const txHash = `0x${'ab'.repeat(32)}`;
const address = `0x${'12'.repeat(20)}`;

describe('playbooks and approvals API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token = t.tokens.viewer) => t.app.inject({ method: 'GET', url, headers: as(token) });
  const post = (url: string, payload: object | undefined, token = t.tokens.responder) => t.app.inject({ method: 'POST', url, headers: as(token), ...(payload === undefined ? {} : { payload }) });
  const drain = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: as(t.keys.generic),
      payload: { summary: 'Hot wallet drained', severity: 'critical', dedup_key: 'drain-1', labels: { alertname: 'HotWalletDrain', chain: 'ethereum' } },
    });

  it('lists the built-in playbooks and shows one with its steps', async () => {
    const list = (await get('/api/v1/playbooks')).json().playbooks;
    expect(list).toHaveLength(7);
    expect(list.map((p: { source: string }) => p.source)).toEqual(Array(7).fill('builtin'));
    const shown = (await get('/api/v1/playbooks/deep-reorg')).json().playbook;
    expect(shown.steps.map((s: { id: string }) => s.id)).toContain('raise-confirmations');
    expect((await get('/api/v1/playbooks/nope')).json().error.code).toBe('NOT_FOUND');
  });

  it('PUT takes YAML or JSON, replaces a built-in, and reports YAML problems with path and line', async () => {
    const yaml = 'name: custody-freeze\ntitle: Custody freeze\ndescription: d\nmatch: { service: custody }\nsteps:\n  - { id: a, title: A, owner: ops, instructions: x }\n';
    const put = (name: string, payload: string | object, type = 'application/yaml', token = t.tokens.admin) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/playbooks/${name}`, headers: { ...as(token), 'content-type': type }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    const created = await put('custody-freeze', yaml);
    expect(created.statusCode).toBe(200);
    expect(created.json().playbook).toMatchObject({ name: 'custody-freeze', source: 'api', sourceText: yaml, steps: [{ owner: 'operations' }] });
    const json = { name: 'node-desync', title: 'Our node desync', description: 'd', steps: [{ id: 'a', title: 'A', owner: 'infra', instructions: 'x' }] };
    expect((await put('node-desync', json, 'application/json')).json().playbook).toMatchObject({ title: 'Our node desync', source: 'api' });

    const bad = await put('custody-freeze', yaml.replace('owner: ops', 'owner: janitor'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'steps.0.owner (line 6:31)' }] });
    expect((await put('custody-freeze', 'name: [oops')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await put('other-name', yaml)).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'name' }] });
    expect((await put('custody-freeze', yaml, 'application/yaml', t.tokens.responder)).statusCode).toBe(403);
    expect((await put('custody-freeze', yaml, 'text/csv')).statusCode).toBe(415);
    // YAML is accepted by this route only.
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/incidents/INC-1/playbooks', headers: { ...as(t.tokens.responder), 'content-type': 'application/yaml' }, payload: 'playbook: x' });
    expect(elsewhere.statusCode).toBe(415);
  });

  it('auto-attaches on ingest, completes and skips steps, and gates a step on a 2-of-3 signed approval', async () => {
    expect((await drain()).statusCode).toBeLessThan(300);
    const runs = (await get('/api/v1/incidents/INC-1/playbooks')).json().runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ playbook: 'hot-wallet-compromise', matched: 'type=hotwalletdrain', status: 'in_progress' });
    const step = (run: string, id: string, verb: 'complete' | 'skip', body?: object) => post(`/api/v1/incidents/INC-1/playbooks/${run}/steps/${id}/${verb}`, body);

    const missing = await step('hot-wallet-compromise', 'assess-loss', 'complete', { evidence: { first_theft_tx: 'nope' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.map((d: { path: string }) => d.path)).toEqual(['evidence.first_theft_tx', 'evidence.attacker_address', 'evidence.stolen_amount']);
    const done = await step(runs[0].id, 'assess-loss', 'complete', { output: 'one tx', evidence: { first_theft_tx: txHash, attacker_address: address, stolen_amount: '10' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().run.steps.find((s: { id: string }) => s.id === 'assess-loss')).toMatchObject({ status: 'completed', output: 'one tx', by: { name: 'responder person' } });
    expect((await step('hot-wallet-compromise', 'assess-loss', 'skip', { reason: 'again' })).json().error.code).toBe('INVALID_TRANSITION');
    expect((await step('hot-wallet-compromise', 'communicate', 'skip', { reason: 'comms handled by the exchange PR team' })).statusCode).toBe(200);
    expect((await step('hot-wallet-compromise', 'communicate', 'skip', {})).statusCode).toBe(400);
    expect((await step('hot-wallet-compromise', 'nope', 'skip', { reason: 'x' })).statusCode).toBe(404);
    expect((await step('nope', 'nope', 'skip', { reason: 'x' })).statusCode).toBe(404);

    const rotateBody = { evidence: { new_hot_address: address }, checks: { 'check-1': true, 'check-2': true } };
    const blocked = await step('hot-wallet-compromise', 'rotate-keys', 'complete', rotateBody);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('APPROVAL_REQUIRED');

    // Approvers and the policy (admin), then the request (responder).
    const keys = { alice: generateApproverKeyPair(), bob: generateApproverKeyPair(), carol: generateApproverKeyPair() };
    for (const [handle, pair] of Object.entries(keys)) {
      expect((await post('/api/v1/approvers', { handle, publicKey: pair.publicKey }, t.tokens.admin)).statusCode).toBe(201);
    }
    expect((await post('/api/v1/approvers', { handle: 'dave', publicKey: 'not a key' }, t.tokens.admin)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await post('/api/v1/approvers', { handle: 'dave', publicKey: keys.alice.publicKey }, t.tokens.responder)).statusCode).toBe(403);
    const policy = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/approval-policies/rotate_hot_wallet_keys',
      headers: as(t.tokens.admin),
      payload: { m: 2, approvers: ['alice', 'bob', 'carol'] },
    });
    expect(policy.json().policy).toMatchObject({ m: 2, description: 'Rotate the signing keys of a hot wallet' });
    const created = await post('/api/v1/approvals', { incident: 'INC-1', action: 'rotate_hot_wallet_keys', parameters: { chain: 'ethereum', wallet: 'hot-1' }, reason: 'signer compromised' });
    expect(created.statusCode).toBe(201);
    const id = created.json().approval.id as string;

    const sign = async (who: keyof typeof keys, decision: 'approve' | 'reject' = 'approve') => {
      const { payload } = (await get(`/api/v1/approvals/${id}`)).json();
      const signature = signApprovalMessage(keys[who].privateKey, approvalMessage({ payload, approver: who, decision }));
      return post(`/api/v1/approvals/${id}/signatures`, { approver: who, decision, signature });
    };
    expect((await post(`/api/v1/approvals/${id}/execute`, { output: 'rotated' })).json().error.code).toBe('QUORUM_NOT_MET');
    expect((await sign('alice')).json().approval).toMatchObject({ status: 'pending', approvals: ['alice'] });
    expect((await sign('alice')).json().error.code).toBe('ALREADY_DECIDED');
    expect((await post(`/api/v1/approvals/${id}/signatures`, { approver: 'mallory', decision: 'approve', signature: 'AAAA' })).json().error.code).toBe('NOT_AN_APPROVER');
    expect((await post(`/api/v1/approvals/${id}/signatures`, { approver: 'bob', decision: 'approve', signature: 'AAAA' })).json().error.code).toBe('INVALID_SIGNATURE');
    expect((await post(`/api/v1/approvals/${id}/signatures`, { approver: 'bob', decision: 'maybe', signature: 'AAAA' })).statusCode).toBe(400);
    expect((await sign('carol')).json().approval).toMatchObject({ status: 'approved', approvals: ['alice', 'carol'] });

    const rotated = await step('hot-wallet-compromise', 'rotate-keys', 'complete', rotateBody);
    expect(rotated.statusCode).toBe(200);
    const executed = await post(`/api/v1/approvals/${id}/execute`, { output: 'new MPC key set hot-2 live' });
    expect(executed.json().approval).toMatchObject({ status: 'executed', output: 'new MPC key set hot-2 live' });
    const verified = (await get(`/api/v1/approvals/${id}/verify`)).json();
    expect(verified).toMatchObject({ ok: true, validApprovals: 2, m: 2 });

    const kinds = (await get('/api/v1/incidents/INC-1/timeline')).json().entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['playbook.attached', 'playbook.step_completed', 'playbook.step_skipped', 'approval.requested', 'approval.approved', 'approval.executed']));
    expect((await verifyAuditChain(t.vigil.store.read)).ok).toBe(true);
    expect((await get('/api/v1/approvals?status=executed&incident=INC-1')).json().approvals).toHaveLength(1);
  });

  it('attaches by hand once and answers bad input with 4xx and a stable code', async () => {
    await drain();
    expect((await post('/api/v1/incidents/INC-1/playbooks', { playbook: 'node-desync' })).statusCode).toBe(201);
    expect((await post('/api/v1/incidents/INC-1/playbooks', { playbook: 'node-desync' })).json().error.code).toBe('CONFLICT');
    expect((await post('/api/v1/incidents/INC-1/playbooks', { playbook: 'nope' })).statusCode).toBe(404);
    expect((await post('/api/v1/incidents/INC-9/playbooks', { playbook: 'node-desync' })).statusCode).toBe(404);
    expect((await post('/api/v1/incidents/INC-1/playbooks', { name: 'node-desync' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await post('/api/v1/incidents/INC-1/playbooks', { playbook: 'node-desync' }, t.tokens.viewer)).statusCode).toBe(403);
    expect((await post('/api/v1/approvals', { action: 'unpause_contract', reason: 'fixed' })).json().error.code).toBe('NO_APPROVAL_POLICY');
    expect((await post('/api/v1/approvals', { action: 'unpause_contract' })).statusCode).toBe(400);
    expect((await get('/api/v1/approvals/nope')).statusCode).toBe(404);
    expect((await get('/api/v1/approvals/nope/verify')).statusCode).toBe(404);
    expect((await post('/api/v1/approvers/nobody/revoke', undefined, t.tokens.admin)).statusCode).toBe(404);
    const badPolicy = await t.app.inject({ method: 'PUT', url: '/api/v1/approval-policies/resume_withdrawals', headers: as(t.tokens.admin), payload: { m: 3, approvers: ['a', 'b'] } });
    expect(badPolicy.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'm' }] });
    expect((await get('/api/v1/approvers', t.tokens.viewer)).statusCode).toBe(403);
  });

  it('documents the routes in /openapi.json', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/playbooks/{name}', '/api/v1/incidents/{id}/playbooks/{run}/steps/{step}/complete', '/api/v1/approvals/{id}/signatures', '/api/v1/approvals/{id}/verify']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});
