import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { event, testVigil } from '../../../test/support/vigil.js';
import { holderOf } from './role-holders.js';

const carol = { kind: 'cli', id: 'carol', name: 'carol' } as const;

describe('incident roles', () => {
  let vigil: Vigil;
  let incidentId: string;
  beforeEach(async () => {
    ({ vigil } = await testVigil());
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: carol });
    const [result] = await vigil.ingest((await vigil.store.read.getIntegration(id))!, [event()]);
    incidentId = result!.incidentId!;
  });
  afterEach(async () => vigil.close());

  const assign = (role: Parameters<Vigil['roles']['assign']>[1]['role'], person: string) =>
    vigil.store.write((tx) => vigil.roles.assign(tx, { ref: 'INC-1', role, person, actor: carol }));
  const messages = async (kind: string) => (await vigil.store.read.listTimeline(incidentId)).filter((e) => e.kind === kind).map((e) => e.message);

  it('assigns a role, hands it over, and releases it, each change on the timeline', async () => {
    expect((await assign('incident_commander', 'alice')).outcome).toBe('assigned');
    expect(await holderOf(vigil.store.read, incidentId, 'incident_commander')).toBe('alice');

    const handover = await assign('incident_commander', '@bob');
    expect(handover).toMatchObject({ outcome: 'handed_over', from: 'alice' });
    expect(await holderOf(vigil.store.read, incidentId, 'incident_commander')).toBe('bob');

    await vigil.store.write((tx) => vigil.roles.release(tx, { ref: 'INC-1', role: 'incident_commander', actor: carol }));
    expect(await holderOf(vigil.store.read, incidentId, 'incident_commander')).toBeUndefined();

    expect(await messages('role.assigned')).toEqual(['alice is incident commander of INC-1, assigned by carol']);
    expect(await messages('role.handed_over')).toEqual(['incident commander handed over from alice to bob by carol']);
    expect(await messages('role.released')).toEqual(['bob is no longer incident commander of INC-1, released by carol']);
    const history = await vigil.store.read.listRoleAssignments(incidentId);
    expect(history.map((a) => [a.person, a.releasedAt !== null])).toEqual([
      ['alice', true],
      ['bob', true],
    ]);
    const actions = (await vigil.store.read.listAuditRecords(0, 100)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['incident.role_assigned', 'incident.role_handed_over', 'incident.role_released']));
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('assigning the current holder again changes nothing and writes nothing', async () => {
    await assign('scribe', 'alice');
    const before = (await vigil.store.read.listTimeline(incidentId)).length;
    expect((await assign('scribe', 'alice')).outcome).toBe('unchanged');
    expect((await vigil.store.read.listTimeline(incidentId)).length).toBe(before);
  });

  it('lets several technical specialists hold the role, and asks which one to release', async () => {
    await assign('technical_specialist', 'dan');
    await assign('technical_specialist', 'eve');
    const current = (await vigil.store.read.listRoleAssignments(incidentId)).filter((a) => a.releasedAt === null).map((a) => a.person);
    expect(current).toEqual(['dan', 'eve']);
    await expect(vigil.store.write((tx) => vigil.roles.release(tx, { ref: 'INC-1', role: 'technical_specialist', actor: carol }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await vigil.store.write((tx) => vigil.roles.release(tx, { ref: 'INC-1', role: 'technical_specialist', person: 'dan', actor: carol }));
    expect(await holderOf(vigil.store.read, incidentId, 'technical_specialist')).toBe('eve');
  });

  it('refuses a release of a role nobody holds, a bad handle, and an unknown incident', async () => {
    await expect(vigil.store.write((tx) => vigil.roles.release(tx, { ref: 'INC-1', role: 'scribe', actor: carol }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(assign('scribe', 'two words')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(vigil.store.write((tx) => vigil.roles.assign(tx, { ref: 'INC-99', role: 'scribe', person: 'a', actor: carol }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
