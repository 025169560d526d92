import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../app.js';
import { configFromEnv, sqlitePath } from '../config.js';
import { hashSecret } from '../access/credentials.js';
import { event } from '../../test/support/vigil.js';
import { vigilIn } from '../../test/support/cli.js';
import { runCli } from './cli.js';


describe('vigil CLI on the configured store, without a server', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);

  async function seedIncident() {
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'custody', actor: { kind: 'cli', id: 't', name: 't' } });
    const integration = (await v.store.read.getIntegration(id))!;
    await v.ingest(integration, [event({ severity: 'critical', summary: 'Cold wallet signer offline' })]);
    await v.close();
  }

  it('token create --json prints {"token"} and stores only its hash', async () => {
    const { code, out } = await vigil('token', 'create', '--role', 'responder', '--name', 'ana', '--json');
    expect(code).toBe(0);
    const { token } = JSON.parse(out) as { token: string };
    expect(token).toMatch(/^vgl_[0-9a-f]{48}$/);
    const db = new BetterSqlite3(sqlitePath({ dataDir: dir }), { readonly: true });
    const rows = db.prepare('select secret_hash, role from api_tokens').all() as Array<{ secret_hash: string; role: string }>;
    db.close();
    expect(rows).toEqual([{ secret_hash: hashSecret(token), role: 'responder' }]);
  });

  it('integration create --json prints {"key"}', async () => {
    const { code, out } = await vigil('integration', 'create', '--kind', 'pagerduty', '--service', 'withdrawals', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a usage mistake exits non-zero with a one-line reason', async () => {
    const bad = await vigil('token', 'create', '--role', 'emperor');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('emperor');
    const missing = await vigil('incident', 'show', 'INC-404');
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toEqual(['vigil: NOT_FOUND: no incident INC-404']);
  });

  it('every command has --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['token', 'create', '--help'], ['incident', 'list', '--help'], ['audit', 'verify', '--help']]) {
      const { code, out } = await vigil(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(out).toContain('Usage: vigil');
    }
  });

  it('incident list, show, ack, assign, note, severity, resolve and reopen work on the store', async () => {
    await seedIncident();
    const list = await vigil('incident', 'list', '--status', 'triggered', '--json');
    expect(JSON.parse(list.out).incidents.map((i: { shortId: string }) => i.shortId)).toEqual(['INC-1']);
    expect((await vigil('incident', 'list')).out).toMatch(/INC-1\s+SEV1\s+triggered\s+custody/);
    expect((await vigil('incident', 'ack', 'INC-1')).out.trim()).toBe('INC-1 acknowledged');
    expect((await vigil('incident', 'assign', 'INC-1', 'ana')).out.trim()).toBe('INC-1 assigned to ana');
    expect((await vigil('incident', 'note', 'INC-1', 'signer', 'rebooted')).code).toBe(0);
    expect((await vigil('incident', 'severity', 'INC-1', 'SEV2', '--reason', 'no funds at risk')).out.trim()).toBe('INC-1 is SEV2');
    expect((await vigil('incident', 'resolve', '1')).out.trim()).toBe('INC-1 resolved');
    expect((await vigil('incident', 'reopen', 'INC-1')).out.trim()).toBe('INC-1 triggered');
    const shown = JSON.parse((await vigil('incident', 'show', 'INC-1', '--json')).out);
    expect(shown.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'incident.triggered',
      'incident.acknowledged',
      'incident.assigned',
      'incident.note',
      'incident.severity_changed',
      'incident.resolved',
      'incident.reopened',
    ]);
    expect(shown.timeline[1].actor.kind).toBe('cli');
    expect((await vigil('incident', 'show', 'INC-1')).out).toContain('signer rebooted');
  });

  it('audit verify exits 0 on a sound chain and 1 naming the first bad record after a hand edit', async () => {
    await seedIncident();
    const ok = await vigil('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, records: 2 });
    const db = new BetterSqlite3(sqlitePath({ dataDir: dir }));
    db.prepare(`update audit_records set actor = '{"kind":"cli","id":"mallory","name":"mallory"}' where seq = 2`).run();
    db.close();
    const bad = await vigil('audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAILED at record 2 (hash_mismatch)');
  });
});

describe('vigil feedback', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-fb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);

  it('labels alerts, reports precision, lists and revokes suppressions', async () => {
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir, suppressAfterFalsePositives: 1 });
    const { id } = await v.createIntegration({ kind: 'transactions', service: 'desk', actor: { kind: 'cli', id: 't', name: 't' } });
    const integration = (await v.store.read.getIntegration(id))!;
    const [result] = await v.ingest(integration, [event({ source: 'detector', labels: { detector: 'fan-out', alertId: 'VIGIL-FAN-OUT', entity: '0xdesk' } })]);
    await v.close();

    process.env.VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES = '1';
    const labelled = await vigil('feedback', 'label', result!.alertId!, '--verdict', 'fp', '--note', 'OTC desk').finally(() => {
      delete process.env.VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES;
    });
    expect(labelled.code).toBe(0);
    expect(labelled.out).toContain('suppressed fan-out for 0xdesk');
    expect((await vigil('feedback', 'precision')).out).toMatch(/fan-out\s+VIGIL-FAN-OUT\s+tp\s+0\s+fp\s+1\s+precision 0\.00/);
    const listed = JSON.parse((await vigil('feedback', 'suppressions', '--json')).out) as { suppressions: Array<{ id: string }> };
    expect(listed.suppressions).toHaveLength(1);
    expect((await vigil('feedback', 'revoke', listed.suppressions[0]!.id)).out).toContain('fan-out sees 0xdesk again');
    expect(JSON.parse((await vigil('feedback', 'suppressions', '--json')).out).suppressions).toHaveLength(0);
  });
});

describe('vigil bench nab', () => {
  it('fails with a one-line reason when the corpus is missing', async () => {
    let err = '';
    const code = await runCli(['bench', 'nab', '--nab-dir', '/nonexistent/nab', '--out', '/tmp/vigil-nab-none'], { out: () => undefined, err: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^vigil: /);
  });
});

describe('vigil schedule', () => {
  it('saves a schedule from a file and says who is on call at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-sched-'));
    try {
      const { exchangeOnCall } = await import('../respond/schedules/exchange-example.js');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'schedule.json'), JSON.stringify(exchangeOnCall));
      let out = '';
      const run = (...args: string[]) => runCli(['--data-dir', dir, ...args], { out: (s) => (out += s), err: () => undefined });
      expect(await run('schedule', 'set', join(dir, 'schedule.json'))).toBe(0);
      out = '';
      expect(await run('schedule', 'oncall', 'Hot wallets', '--at', '2026-12-25T12:00:00Z')).toBe(0);
      expect(out.trim()).toBe('dee (Hot wallets at 2026-12-25T12:00:00.000Z)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
