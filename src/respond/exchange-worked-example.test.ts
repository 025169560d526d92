import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../core/actor.js';
import { verifyAuditChain } from '../record/audit-chain.js';
import { notifyVigil } from '../../test/support/notify.js';
import { event } from '../../test/support/vigil.js';

const ops: Actor = { kind: 'cli', id: 'ops', name: 'ops' };
const bob: Actor = { kind: 'token', id: 'tok-bob', name: 'bob' };
const minute = 60_000;

/**
 * The README's worked example for an exchange's on-call team, step by step, so that what the
 * README says happens is what happens.
 */
describe("the README's worked example for an exchange's on-call team", () => {
  it('opens at SEV3 with the playbook, pages the analyst then the engineer, stops on acknowledge, and a key compromise brings in security', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-example-'));
    await writeFile(join(dir, 'impact.json'), JSON.stringify({ services: { 'hot-wallet': { tier: 0 } } }));
    const { vigil, clock } = await notifyVigil({ impactConfigPath: join(dir, 'impact.json') });
    clock.set('2026-11-23T10:00:00+01:00');
    const person = (handle: string) => ({
      handle,
      name: handle,
      methods: [
        { id: 'work', kind: 'email', to: `${handle}@exchange.example` },
        { id: 'pager', kind: 'webhook', url: `https://pager.exchange.example/${handle}`, secret: 'whsec_2b7e151628aed2a6abf7' },
      ],
      rules: [
        { severities: ['SEV1', 'SEV2'], methods: ['work'] },
        { severities: ['SEV1', 'SEV2'], methods: ['pager'], delayMinutes: 5 },
        { severities: ['SEV3', 'SEV4', 'SEV5'], methods: ['work'] },
      ],
    });
    await vigil.store.write(async (tx) => {
      const layer = (name: string, participants: string[], kind: 'weekly' | 'daily') => ({ name, participants, rotation: { kind }, handoffTime: '09:00', start: '2026-11-23' });
      await vigil.schedules.put(tx, { definition: { name: 'crypto-ops', timeZone: 'Europe/Berlin', layers: [layer('analysts', ['alice', 'dave'], 'weekly')] }, actor: ops });
      await vigil.schedules.put(tx, { definition: { name: 'wallet-eng', timeZone: 'Europe/Berlin', layers: [layer('engineers', ['bob', 'erin'], 'daily')] }, actor: ops });
      for (const handle of ['alice', 'bob', 'carol', 'dave', 'erin']) await vigil.notifications.putPerson(tx, { definition: person(handle), actor: ops });
      await vigil.notifications.createChannel(tx, { definition: { name: '#incidents', kind: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX', services: ['hot-wallet', 'withdrawals'] }, actor: ops });
      await vigil.escalations.putPolicy(tx, {
        definition: {
          name: 'hot-wallet',
          levels: [
            { name: 'L1 analyst', targets: [{ schedule: 'crypto-ops' }], timeoutMinutes: 5 },
            { name: 'L2 engineer', targets: [{ schedule: 'wallet-eng' }], timeoutMinutes: 10 },
            { name: 'L3 security and forensics', targets: [{ person: 'carol' }, { channel: '#incidents' }], timeoutMinutes: 15 },
          ],
          repeat: 1,
          onSeverityRise: [{ atLeast: 'SEV1', startAtLevel: 3 }],
        },
        actor: ops,
      });
      await vigil.escalations.putRoutes(tx, { routes: [{ match: { services: ['hot-wallet', 'withdrawals'] }, policy: 'hot-wallet' }], actor: ops });
    });
    const { id } = await vigil.createIntegration({ kind: 'alertmanager', service: 'hot-wallet', actor: ops });
    const integration = (await vigil.store.read.getIntegration(id))!;
    const outbox = async () => (await vigil.store.read.listOutboxMessages({ limit: 100 })).map((m) => `${m.recipient.type === 'person' ? `${m.recipient.handle}/${m.recipient.methodId}` : m.recipient.channel}: ${m.reason}`).sort();

    const [opened] = await vigil.ingest(integration, [event({ summary: 'Hot wallet 3 outflow', severity: 'warning', labels: { alertname: 'HotWalletDrain', funds_at_risk_usd: '40000' } })]);
    const ref = opened!.incidentId!;
    const incident = async () => (await vigil.store.read.getIncident(ref))!;
    expect((await incident()).severity).toBe('SEV3');
    expect((await vigil.store.read.getImpactScore(ref))?.score.total).toBe(40);
    const timeline = async () => (await vigil.store.read.listTimeline(ref)).map((e) => e.message);
    expect(await timeline()).toContain('Playbook Hot-wallet compromise or drain attached (matched type=hotwalletdrain)');
    // Alice is the analyst this week: her SEV3 rule is email. #incidents hears of the new incident.
    expect(await outbox()).toEqual(['#incidents: incident opened', 'alice/work: escalation level 1 (L1 analyst)']);

    clock.advance(5 * minute);
    await vigil.workers.runOnce();
    expect((await outbox()).filter((m) => m.startsWith('bob/'))).toEqual(['bob/work: escalation level 2 (L2 engineer): nobody acknowledged within 5 min of level 1 (L1 analyst)']);

    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'acknowledge', actor: bob }));
    expect((await vigil.store.read.getEscalation(ref))?.status).toBe('stopped');
    await vigil.store.write((tx) => vigil.roles.assign(tx, { ref: 'INC-1', role: 'incident_commander', person: 'bob', actor: bob }));
    await vigil.store.write((tx) => vigil.roles.assign(tx, { ref: 'INC-1', role: 'communications_lead', person: 'erin', actor: bob }));

    const fact = (body: unknown) => vigil.store.write((tx) => vigil.facts.record(tx, { ref: 'INC-1', fact: body, actor: bob }));
    await fact({ kind: 'funds_movement', chain: 'ethereum', txHash: '0xd1', origin: '0xhot', destination: '0xmix', destinationType: 'mixer', value: { amount: '1500000000000000000000', asset: 'ETH', decimals: 18 }, valueUsd: '4,500,000' });
    await fact({ kind: 'impact', key: 'key_compromise', value: 'true' });
    expect((await incident()).severity).toBe('SEV1');
    // Acknowledged, so security is told once; carol's SEV1 rules: email now, pager in 5 min (cancelled: acknowledged).
    expect((await outbox()).filter((m) => m.startsWith('carol/') || m.startsWith('#incidents: escalation'))).toEqual([
      '#incidents: escalation level 3 (L3 security and forensics): severity rose from SEV2 to SEV1',
      'carol/pager: escalation level 3 (L3 security and forensics): severity rose from SEV2 to SEV1',
      'carol/work: escalation level 3 (L3 security and forensics): severity rose from SEV2 to SEV1',
    ]);
    expect((await timeline()).filter((m) => m.startsWith('Severity raised'))).toEqual([
      'Severity raised from SEV3 to SEV2 by impact: SEV3 → SEV2: funds at risk rose from $40,000 to $4,500,000',
      'Severity raised from SEV2 to SEV1 by impact: SEV2 → SEV1: key compromise is set',
    ]);
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
    await vigil.close();
  });
});
