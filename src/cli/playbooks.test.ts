import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../app.js';
import { configFromEnv, sqlitePath } from '../config.js';
import { buildHttpApp } from '../http/app.js';
import { event } from '../../test/support/vigil.js';
import { vigilIn } from '../../test/support/cli.js';

const cliActor = { kind: 'cli', id: 't', name: 't' } as const;

describe('vigil playbook, incident step, approver and approval commands', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-playbooks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(join(dir, 'data'), args);

  async function seedDrain() {
    const v = await createVigil({ ...configFromEnv({}), dataDir: join(dir, 'data') });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'wallets', actor: cliActor });
    await v.ingest((await v.store.read.getIntegration(id))!, [event({ severity: 'critical', summary: 'Hot wallet drained', labels: { alertname: 'HotWalletDrain' } })]);
    const token = (await v.createApiToken({ role: 'responder', name: 'bob', actor: cliActor })).secret;
    await v.close();
    return token;
  }

  it('has --help for every new command', async () => {
    for (const args of [
      ['playbook', 'list'],
      ['playbook', 'validate'],
      ['incident', 'playbooks'],
      ['incident', 'step'],
      ['approver', 'keygen'],
      ['approver', 'add'],
      ['approval', 'policy', 'set'],
      ['approval', 'request'],
      ['approval', 'sign'],
      ['approval', 'execute'],
      ['approval', 'verify'],
    ]) {
      const { code, out } = await vigil(...args, '--help');
      expect(code, args.join(' ')).toBe(0);
      expect(out).toContain('Usage: vigil');
    }
  });

  it('validates a playbook file, naming the path and line of a problem', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'name: mine\ntitle: Mine\ndescription: d\nsteps:\n  - id: a\n    title: A\n    owner: scribe\n    instructions: x\n');
    expect((await vigil('playbook', 'validate', good)).out.trim()).toBe('ok: mine (1 steps)');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: mine\ntitle: Mine\ndescription: d\nsteps:\n  - id: a\n    title: A\n    owner: janitor\n    instructions: x\n');
    const result = await vigil('playbook', 'validate', bad);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^vigil: VALIDATION_FAILED: .*steps\.0\.owner \(line 7:12\)/);
    expect((await vigil('playbook', 'validate', join(dir, 'missing.yaml'))).code).toBe(1);
  });

  it('lists built-ins plus a --playbook-dir that replaces one, and shows a playbook', async () => {
    const custom = join(dir, 'playbooks');
    mkdirSync(custom);
    writeFileSync(join(custom, 'node-desync.yaml'), 'name: node-desync\ntitle: Our own node runbook\ndescription: d\nsteps:\n  - { id: a, title: A, owner: infra, instructions: x }\n');
    const list = JSON.parse((await vigil('--playbook-dir', custom, 'playbook', 'list', '--json')).out).playbooks;
    expect(list).toHaveLength(7);
    expect(list.find((p: { name: string }) => p.name === 'node-desync')).toMatchObject({ source: 'directory', title: 'Our own node runbook' });
    writeFileSync(join(custom, 'broken.yaml'), 'name: broken\ntitle: Broken\ndescription: d\nsteps:\n  - { id: a, title: A, owner: nobody, instructions: x }\n');
    const refused = await vigil('--playbook-dir', custom, 'playbook', 'list');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`the playbook ${join(custom, 'broken.yaml')} is invalid at steps.0.owner (line 5:31)`);
    const shown = await vigil('playbook', 'show', 'hot-wallet-compromise');
    expect(shown.out).toContain('7. Rotate the hot-wallet keys  [rotate-keys, owner protocol_lead, needs approval rotate_hot_wallet_keys]');
  });

  it('runs the whole flow: steps, a 2-of-3 approval signed locally (store and server), execute, verify, and tampering caught', async () => {
    const token = await seedDrain();
    const keys = join(dir, 'keys');
    for (const who of ['alice', 'bob', 'carol']) {
      expect((await vigil('approver', 'keygen', '--out', keys, '--name', who)).code).toBe(0);
      expect((await vigil('approver', 'add', who, '--public-key', join(keys, `${who}.pub.pem`))).out).toMatch(new RegExp(`^${who} registered`));
    }
    expect(statSync(join(keys, 'alice.pem')).mode & 0o777).toBe(0o600);
    expect((await vigil('approver', 'keygen', '--out', keys, '--name', 'alice')).code).toBe(1);
    expect((await vigil('approval', 'policy', 'set', 'rotate_hot_wallet_keys', '--m', '2', '--approvers', 'alice,bob,carol')).out.trim()).toBe(
      'rotate_hot_wallet_keys: 2 of alice, bob, carol',
    );

    const runs = JSON.parse((await vigil('incident', 'playbooks', 'INC-1', '--json')).out).runs;
    expect(runs.map((r: { playbook: string }) => r.playbook)).toEqual(['hot-wallet-compromise']);
    const step = await vigil('incident', 'step', 'INC-1', 'hot-wallet-compromise', 'sweep-to-cold', '--output', 'swept', '--evidence', `sweep_tx=0x${'ab'.repeat(32)}`,
      '--evidence', `cold_address=0x${'12'.repeat(20)}`, '--evidence', 'swept_amount=900000000000000000', '--check', 'check-1=yes', '--check', 'check-2=yes');
    expect(step).toMatchObject({ code: 0, out: 'step sweep-to-cold completed\n' });
    const badEvidence = await vigil('incident', 'step', 'INC-1', 'hot-wallet-compromise', 'assess-loss', '--evidence', 'first_theft_tx=0x12');
    expect(badEvidence.code).toBe(1);
    expect(badEvidence.err).toContain('evidence.first_theft_tx');
    const rotate = ['incident', 'step', 'INC-1', 'hot-wallet-compromise', 'rotate-keys', '--evidence', `new_hot_address=0x${'34'.repeat(20)}`, '--check', 'check-1=yes', '--check', 'check-2=yes'];
    expect((await vigil(...rotate)).err).toMatch(/^vigil: APPROVAL_REQUIRED: /);

    const requested = JSON.parse((await vigil('approval', 'request', '--incident', 'INC-1', '--action', 'rotate_hot_wallet_keys', '--param', 'chain=ethereum', '--reason', 'signer compromised', '--json')).out);
    const id = requested.approval.id as string;
    expect(requested.payload).toMatchObject({ id, action: 'rotate_hot_wallet_keys', parameters: { chain: 'ethereum' }, m: 2 });
    expect((await vigil('approval', 'execute', id)).err).toMatch(/^vigil: QUORUM_NOT_MET: /);

    // alice signs against the store; bob against a running server, over HTTP.
    expect((await vigil('approval', 'sign', id, '--key', join(keys, 'alice.pem'))).out.trim()).toBe(`alice approved ${id}: pending (1 of 2 approvals)`);
    expect((await vigil('approval', 'sign', id, '--key', join(keys, 'alice.pem'))).err).toMatch(/^vigil: ALREADY_DECIDED: /);
    expect((await vigil('approval', 'sign', id, '--key', join(keys, 'carol.pem'), '--approver', 'bob')).err).toMatch(/^vigil: INVALID_SIGNATURE: /);
    const server = await createVigil({ ...configFromEnv({}), dataDir: join(dir, 'data') });
    const app = await buildHttpApp({ vigil: server });
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const signed = await vigil('approval', 'sign', id, '--key', join(keys, 'bob.pem'), '--server', url, '--token', token);
      expect(signed.out.trim()).toBe(`bob approved ${id}: approved (2 of 2 approvals)`);
      expect((await vigil('approval', 'sign', id, '--key', join(keys, 'carol.pem'), '--server', url, '--token', token)).err).toMatch(/^vigil: APPROVAL_CLOSED: /);
      expect((await vigil('approval', 'sign', id, '--key', join(keys, 'carol.pem'), '--server', url, '--token', 'vgl_wrong')).err).toMatch(/^vigil: UNAUTHENTICATED: /);
    } finally {
      await app.close();
      await server.close();
    }

    expect((await vigil(...rotate)).code).toBe(0);
    expect((await vigil('approval', 'execute', id, '--output', 'new MPC key set live')).out.trim()).toBe(`rotate_hot_wallet_keys executed (${id})`);
    const verified = await vigil('approval', 'verify', id);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toMatch(/^ok: .* executed, 2 of 2 approvals verify/);

    // Someone edits bob's stored signature by hand: verify says so and exits 1.
    const db = new BetterSqlite3(sqlitePath({ dataDir: join(dir, 'data') }));
    const row = db.prepare("select signature from approval_signatures where approver = 'bob'").get() as { signature: string };
    const bytes = Buffer.from(row.signature, 'base64');
    bytes[0] = bytes[0]! ^ 0xff;
    db.prepare("update approval_signatures set signature = ? where approver = 'bob'").run(bytes.toString('base64'));
    db.close();
    const tampered = await vigil('approval', 'verify', id, '--json');
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.out);
    expect(report).toMatchObject({ ok: false, validApprovals: 1 });
    expect(report.signatures.find((s: { approver: string }) => s.approver === 'bob')).toMatchObject({ ok: false, problem: 'the signature does not verify over this request' });
    expect((await vigil('audit', 'verify')).code).toBe(0);
  });
});
