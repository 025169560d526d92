import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import type { Integration } from '../core/access.js';
import type { AlertSeverity } from '../core/alert.js';
import type { ManualClock } from '../core/clock.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { alertLabelSet, matchesAll } from './matchers.js';
import type { InhibitionRule } from '../core/inhibition-rule.js';
import { InhibitionSources, type SourceAlert } from './inhibition-sources.js';
import { createVigil } from '../app.js';
import { defaultConfig } from '../config.js';
import { sequentialIds } from '../core/ids.js';
import { event, testVigil } from '../../test/support/vigil.js';

const ops = { kind: 'token', id: 'tok-ana', name: 'ana' } as const;

// The specification the index is held to: the pass over every firing and muted alert that
// Vigil made for each new alert before the index existed.
/**
 * The first firing alert that inhibits `target` under one of `rules`, with the rule: it matches
 * the rule's source matchers, `target` matches its target matchers, and both have the same value
 * for every `equal` label (a missing label counts as ""). An alert never inhibits itself (same
 * integration and dedup key), even when it matches both sides.
 */
function findInhibitor(options: {
  rules: readonly InhibitionRule[];
  target: Omit<SourceAlert, 'id' | 'firstSeenAt'>;
  firing: readonly SourceAlert[];
}): { rule: InhibitionRule; inhibitor: SourceAlert } | undefined {
  const targetLabels = alertLabelSet(options.target);
  for (const rule of options.rules) {
    if (rule.removedAt !== null || !matchesAll(rule.targetMatchers, targetLabels)) continue;
    for (const source of options.firing) {
      if (source.integrationId === options.target.integrationId && source.dedupKey === options.target.dedupKey) continue;
      const sourceLabels = alertLabelSet(source);
      if (!matchesAll(rule.sourceMatchers, sourceLabels)) continue;
      if (rule.equal.every((name) => (sourceLabels[name] ?? '') === (targetLabels[name] ?? ''))) return { rule, inhibitor: source };
    }
  }
  return undefined;
}

/** Rules of the shapes people write: a cause inhibits its symptoms, by chain or not at all. */
const ruleTemplates = [
  { sourceMatchers: ['alertname="ChainHalted"'], targetMatchers: ['alertname="WithdrawalStuck"'], equal: ['chain'] },
  { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ['chain', 'wallet'] },
  { sourceMatchers: ['alertname=~"Chain.*"'], targetMatchers: ['chain="bitcoin"'], equal: [] },
];

type Op =
  | { kind: 'fire'; key: number; alertname: string; chain: string; wallet: string; severity: AlertSeverity }
  | { kind: 'end'; key: number }
  | { kind: 'rule'; template: number }
  | { kind: 'unrule'; pick: number }
  | { kind: 'resolve-incident'; pick: number }
  | { kind: 'silence'; chain: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('fire' as const),
      key: fc.integer({ min: 0, max: 3 }),
      alertname: fc.constantFrom('ChainHalted', 'ChainLagging', 'WithdrawalStuck'),
      chain: fc.constantFrom('ethereum', 'bitcoin'),
      wallet: fc.constantFrom('hot-1', 'hot-2'),
      severity: fc.constantFrom<AlertSeverity>('critical', 'warning'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), key: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rule' as const), template: fc.integer({ min: 0, max: ruleTemplates.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unrule' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve-incident' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('silence' as const), chain: fc.constantFrom('ethereum', 'bitcoin') }) },
);

/** Every label set an alert of these streams can carry, as the target of a new alert. */
const targets = ['ChainHalted', 'WithdrawalStuck'].flatMap((alertname) =>
  ['ethereum', 'bitcoin'].flatMap((chain) => (['critical', 'warning'] as const).map((severity) => ({ alertname, chain, wallet: 'hot-1', severity }))),
);

/** The inhibition verdict for every target, by the index and by a pass over every firing and muted alert (the specification). */
async function compareWithScan(vigil: Vigil, integrations: readonly Integration[]): Promise<void> {
  const rules = await vigil.store.read.listInhibitionRules({ includeRemoved: false });
  const firing: SourceAlert[] = [...(await vigil.store.read.listFiringAlerts()), ...(await vigil.store.read.listMutedAlerts({ status: 'muted', limit: 1_000 }))];
  for (const labels of targets) {
    // From another integration too, so that an alert with the same dedup key is a source.
    for (const from of integrations) {
      const target = { integrationId: from.id, dedupKey: 'k1', service: from.service, source: 'alertmanager' as const, severity: labels.severity, labels: { alertname: labels.alertname, chain: labels.chain, wallet: labels.wallet } };
      const scanned = findInhibitor({ rules, target, firing });
      const indexed = await vigil.store.write((tx) => new InhibitionSources().find(tx, rules, target));
      expect(indexed?.rule.id).toBe(scanned?.rule.id);
      if (indexed === undefined) continue;
      // Any source the rule admits may be named; the index names a real, firing one.
      const source = firing.find((f) => f.id === indexed.source.sourceId);
      expect(source).toBeDefined();
      const sourceLabels = alertLabelSet(source!);
      const targetLabels = alertLabelSet(target);
      expect(matchesAll(indexed.rule.sourceMatchers, sourceLabels)).toBe(true);
      expect(indexed.rule.equal.every((n) => (sourceLabels[n] ?? '') === (targetLabels[n] ?? ''))).toBe(true);
      expect(source!.integrationId === target.integrationId && source!.dedupKey === target.dedupKey).toBe(false);
    }
  }
}

describe('the inhibition index', () => {
  it('gives the verdict a pass over every firing and muted alert gives, whatever fired, changed, ended or was ruled before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { vigil, clock } = await testVigil();
        try {
          const integration = (await vigil.store.read.getIntegration((await vigil.createIntegration({ kind: 'alertmanager', service: 'withdrawals', actor: ops })).id))!;
          const other = (await vigil.store.read.getIntegration((await vigil.createIntegration({ kind: 'generic', service: 'withdrawals', actor: ops })).id))!;
          for (const o of steps) {
            clock.advance(1_000);
            await apply(vigil, integration, o);
            await compareWithScan(vigil, [integration, other]);
          }
          // A database from before the index (or one a bug left wrong) is made right at start.
          await vigil.store.write((tx) => tx.deleteInhibitionSources('all'));
          await vigil.rebuildInhibitionIndex();
          await compareWithScan(vigil, [integration, other]);
        } finally {
          await vigil.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe('the inhibition index, case by case', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  let integration: Integration;
  beforeEach(async () => {
    ({ vigil, clock } = await testVigil());
    integration = (await vigil.store.read.getIntegration((await vigil.createIntegration({ kind: 'alertmanager', service: 'withdrawals', actor: ops })).id))!;
  });
  afterEach(async () => vigil.close());

  const fire = async (alertname: string, key: string, action: 'trigger' | 'resolve' = 'trigger') => {
    clock.advance(1_000);
    const [result] = await vigil.ingest(integration, [event({ action, dedupKey: key, fingerprint: key, groupKey: alertname, labels: { alertname, chain: 'ethereum' } })]);
    return result!;
  };
  const rule = (source: string, target: string) =>
    vigil.store.write((tx) => vigil.inhibitionRules.create(tx, { sourceMatchers: [`alertname="${source}"`], targetMatchers: [`alertname="${target}"`], equal: ['chain'], actor: ops }));
  const indexRows = () => (vigil.store as KyselyStore).db.selectFrom('inhibition_sources').selectAll().execute();

  it('a silenced alert still inhibits, as in Alertmanager', async () => {
    await rule('ChainLagging', 'WithdrawalStuck');
    await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['alertname="ChainLagging"'], durationMs: 3_600_000, comment: 'known', actor: ops }));
    const lagging = await fire('ChainLagging', 'lag');
    expect(lagging.outcome).toBe('muted');
    const stuck = await fire('WithdrawalStuck', 'stuck');
    expect(stuck.outcome).toBe('muted');
    expect((await vigil.store.read.getMutedAlert(stuck.alertId!))?.reason).toMatchObject({ kind: 'inhibition', inhibitorAlertId: lagging.alertId });
  });

  it('an inhibited alert that is released and then resolves inhibits nothing more', async () => {
    await rule('ChainHalted', 'WithdrawalStuck');
    await rule('WithdrawalStuck', 'QueueGrowing');
    await fire('ChainHalted', 'halt');
    expect((await fire('WithdrawalStuck', 'stuck')).outcome).toBe('muted');
    // Muted, it still inhibits.
    expect((await fire('QueueGrowing', 'q1')).outcome).toBe('muted');
    await fire('ChainHalted', 'halt', 'resolve');
    // Its next repeat releases it into an incident, where it keeps inhibiting; then it resolves.
    expect((await fire('WithdrawalStuck', 'stuck')).outcome).toBe('opened');
    expect((await fire('QueueGrowing', 'q2')).outcome).toBe('muted');
    await fire('WithdrawalStuck', 'stuck', 'resolve');
    expect((await fire('QueueGrowing', 'q3')).outcome).not.toBe('muted');
  });

  const dropEntries = () => (vigil.store as KyselyStore).db.deleteFrom('inhibition_sources').execute();
  /** A rule and a firing source in a database as migrated from before the index (no entries, never built), opened by a new process. */
  const openPreIndexDatabase = async () => {
    await rule('ChainHalted', 'WithdrawalStuck');
    await fire('ChainHalted', 'halt');
    await dropEntries();
    await (vigil.store as KyselyStore).db.deleteFrom('inhibition_index_built').execute();
    return createVigil({ ...defaultConfig }, { clock, ids: sequentialIds(), store: vigil.store });
  };

  it('is built the first time a process opens a database from before it, whatever the process does', async () => {
    const next = await openPreIndexDatabase();
    const [stuck] = await next.ingest(integration, [event({ dedupKey: 'stuck', fingerprint: 'stuck', groupKey: 'stuck', labels: { alertname: 'WithdrawalStuck', chain: 'ethereum' } })]);
    expect(stuck?.outcome).toBe('muted');
  });

  it('is built once, not twice, when the process that opened a database from before it starts serving', async () => {
    const next = await openPreIndexDatabase();
    expect(await indexRows()).toHaveLength(1);
    // Built at open: the start's refresh does not build it again (an entry dropped now stays dropped) ...
    await dropEntries();
    await next.refreshInhibitionIndex();
    expect(await indexRows()).toHaveLength(0);
    // ... and any later start of the same process does.
    await next.refreshInhibitionIndex();
    expect(await indexRows()).toHaveLength(1);
    // A process that opened a built database rebuilds it at its start: an older writer may have left it stale.
    await dropEntries();
    const third = await createVigil({ ...defaultConfig }, { clock, ids: sequentialIds(), store: vigil.store });
    await third.refreshInhibitionIndex();
    expect(await indexRows()).toHaveLength(1);
  });

  it('an entry whose source stopped firing without the index hearing of it mutes nothing', async () => {
    await rule('ChainHalted', 'WithdrawalStuck');
    const halted = await fire('ChainHalted', 'halt');
    // A writer that does not keep the index (a process of an older version, mid-upgrade) resolves it.
    await vigil.store.write(async (tx) => {
      const row = (await tx.getAlert(halted.alertId!))!;
      await tx.updateAlert({ ...row, status: 'resolved', resolvedAt: clock.now() });
    });
    expect(await indexRows()).toHaveLength(1);
    expect((await fire('WithdrawalStuck', 'stuck')).outcome).not.toBe('muted');
  });

  it('names an alert in an incident as the inhibitor before an older muted one', async () => {
    await rule('ChainHalted', 'WithdrawalStuck');
    const silence = await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['alertname="ChainHalted"', 'wallet="cold"'], durationMs: 3_600_000, comment: 'known', actor: ops }));
    clock.advance(1_000);
    const [older] = await vigil.ingest(integration, [event({ dedupKey: 'halt-cold', fingerprint: 'halt-cold', labels: { alertname: 'ChainHalted', chain: 'ethereum', wallet: 'cold' } })]);
    expect(older).toMatchObject({ outcome: 'muted' });
    expect(silence.id).toBeDefined();
    const halted = await fire('ChainHalted', 'halt');
    const stuck = await fire('WithdrawalStuck', 'stuck');
    expect((await vigil.store.read.getMutedAlert(stuck.alertId!))?.reason).toMatchObject({ kind: 'inhibition', inhibitorAlertId: halted.alertId });
  });

  it('follows a muted source whose repeat changes its labels', async () => {
    await rule('ChainLagging', 'WithdrawalStuck');
    await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['alertname="ChainLagging"'], durationMs: 3_600_000, comment: 'known', actor: ops }));
    const lagging = (chain: string) => vigil.ingest(integration, [event({ dedupKey: 'lag', fingerprint: 'lag', labels: { alertname: 'ChainLagging', chain } })]);
    const stuck = async (key: string, chain: string) =>
      (await vigil.ingest(integration, [event({ dedupKey: key, fingerprint: key, groupKey: key, labels: { alertname: 'WithdrawalStuck', chain } })]))[0]!.outcome;
    expect((await lagging('ethereum'))[0]?.outcome).toBe('muted');
    expect(await stuck('s1', 'ethereum')).toBe('muted');
    clock.advance(1_000);
    expect((await lagging('bitcoin'))[0]?.outcome).toBe('muted');
    expect(await stuck('s2', 'ethereum')).not.toBe('muted');
    expect(await stuck('s3', 'bitcoin')).toBe('muted');
  });

  it('keeps entries only for rules in force and sources that fire', async () => {
    const r = await rule('ChainHalted', 'WithdrawalStuck');
    await fire('ChainHalted', 'halt');
    expect(await indexRows()).toEqual([expect.objectContaining({ rule_id: r.id, equal_key: '["ethereum"]' })]);
    await vigil.store.write((tx) => vigil.inhibitionRules.remove(tx, { id: r.id, actor: ops }));
    expect(await indexRows()).toEqual([]);
    const again = await rule('ChainHalted', 'WithdrawalStuck');
    expect(await indexRows()).toEqual([expect.objectContaining({ rule_id: again.id })]);
    await fire('ChainHalted', 'halt', 'resolve');
    expect(await indexRows()).toEqual([]);
  });
});

async function apply(vigil: Vigil, integration: Integration, o: Op): Promise<void> {
  switch (o.kind) {
    case 'fire': {
      const labels = { alertname: o.alertname, chain: o.chain, wallet: o.wallet };
      await vigil.ingest(integration, [event({ dedupKey: `k${o.key}`, fingerprint: `k${o.key}`, groupKey: `g${o.key % 3}`, severity: o.severity, labels })]);
      return;
    }
    case 'end':
      await vigil.ingest(integration, [event({ action: 'resolve', dedupKey: `k${o.key}`, fingerprint: `k${o.key}` })]);
      return;
    case 'rule':
      await vigil.store.write((tx) => vigil.inhibitionRules.create(tx, { ...ruleTemplates[o.template]!, actor: ops }));
      return;
    case 'unrule': {
      const rules = await vigil.store.read.listInhibitionRules({ includeRemoved: false });
      const rule = rules[o.pick % Math.max(1, rules.length)];
      if (rule !== undefined) await vigil.store.write((tx) => vigil.inhibitionRules.remove(tx, { id: rule.id, actor: ops }));
      return;
    }
    case 'resolve-incident': {
      const open = await vigil.store.read.listIncidents({ statuses: ['triggered', 'acknowledged'], limit: 100 });
      const incident = open[o.pick % Math.max(1, open.length)];
      if (incident !== undefined) await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: incident.id, action: 'resolve', actor: ops }));
      return;
    }
    case 'silence':
      await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: [`chain="${o.chain}"`, 'alertname="ChainLagging"'], durationMs: 3_600_000, comment: 'test', actor: ops }));
      return;
  }
}
