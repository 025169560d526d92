import { describe, expect, it } from 'vitest';
import { defaultImpactMatrix } from './impact-matrix.js';
import { impactInputsFromAlerts, mergeImpactInputs, type ImpactAlert } from './impact-inputs.js';
import { scoreImpact } from './impact-score.js';

const alert = (id: string, labels: Record<string, string>, annotations: Record<string, string> = {}): ImpactAlert => ({ id, labels, annotations });

describe('impactInputsFromAlerts', () => {
  it('reads each dimension from labels and annotations, with the alert and key as its source', () => {
    const { inputs, problems } = impactInputsFromAlerts([
      alert('01HA', { tier: 'tier-0', funds_at_risk_usd: '2,300,000.50', key_compromise: 'true' }, { users_affected: '12,000', regulatory_exposure: 'High' }),
    ]);
    expect(problems).toEqual([]);
    expect(inputs).toEqual({
      tier: { value: 0, source: 'alert 01HA label tier' },
      fundsAtRiskCents: { value: 230_000_050n, source: 'alert 01HA label funds_at_risk_usd' },
      usersAffected: { value: 12_000, source: 'alert 01HA annotation users_affected' },
      regulatory: { value: 'high', source: 'alert 01HA annotation regulatory_exposure' },
      flags: { key_compromise: { value: true, source: 'alert 01HA label key_compromise' } },
    });
  });

  it('keeps the most severe value across alerts: highest amount, most critical tier, a flag any alert set', () => {
    const { inputs } = impactInputsFromAlerts([
      alert('a', { funds_at_risk_usd: '40000', tier: '2', chain_halt: 'false', revenue_at_risk_usd_per_hour: '900' }),
      alert('b', { funds_at_risk_usd: '99999999999999999999999.99', tier: '1', chain_halt: 'true' }),
      alert('c', { funds_at_risk_usd: '5', tier: '3', revenue_at_risk_usd_per_hour: '900' }),
    ]);
    expect(inputs.fundsAtRiskCents).toEqual({ value: 9_999_999_999_999_999_999_999_999n, source: 'alert b label funds_at_risk_usd' });
    expect(inputs.tier).toEqual({ value: 1, source: 'alert b label tier' });
    expect(inputs.flags?.chain_halt).toEqual({ value: true, source: 'alert b label chain_halt' });
    // A tie keeps the first alert that stated it.
    expect(inputs.revenueAtRiskPerHourCents?.source).toBe('alert a label revenue_at_risk_usd_per_hour');
  });

  it('ignores unreadable values and reports each one, without letting them hide a readable one', () => {
    const { inputs, problems } = impactInputsFromAlerts([
      alert('a', { funds_at_risk_usd: 'about 2M', users_affected: '-3', tier: '5', key_compromise: 'maybe' }),
      alert('b', { funds_at_risk_usd: '1e6' }, { funds_at_risk_usd: '250000' }),
    ]);
    expect(inputs).toEqual({ fundsAtRiskCents: { value: 25_000_000n, source: 'alert b annotation funds_at_risk_usd' } });
    expect(problems.map((p) => `${p.alertId} ${p.key} ${p.value}`)).toEqual([
      'a tier 5',
      'a users_affected -3',
      'a funds_at_risk_usd about 2M',
      'b funds_at_risk_usd 1e6',
      'a key_compromise maybe',
    ]);
    expect(problems.every((p) => p.reason.length > 0)).toBe(true);
  });

  it('reads a ticket rate only when an alert states both the rate and its baseline', () => {
    const { inputs, problems } = impactInputsFromAlerts([
      alert('a', { support_tickets_per_hour: '400' }),
      alert('b', { support_tickets_per_hour: '120', support_tickets_baseline_per_hour: '20' }),
      alert('c', { support_tickets_per_hour: '50', support_tickets_baseline_per_hour: '20' }),
    ]);
    expect(inputs.ticketRate).toEqual({
      value: { perHour: 120, baselinePerHour: 20 },
      source: 'alert b label support_tickets_per_hour / alert b label support_tickets_baseline_per_hour',
    });
    expect(problems).toMatchObject([{ alertId: 'a', key: 'support_tickets_per_hour', value: '400' }]);
  });

  it('reads the flags a custom matrix names when told to', () => {
    const { inputs } = impactInputsFromAlerts([alert('a', { bridge_exploit: 'yes', key_compromise: 'true' })], { flags: ['bridge_exploit'] });
    expect(inputs.flags).toEqual({ bridge_exploit: { value: true, source: 'alert a label bridge_exploit' } });
  });
});

describe('mergeImpactInputs', () => {
  it('an incident fact wins over an alert’s estimate, and flags merge one by one', () => {
    const { inputs: fromAlerts } = impactInputsFromAlerts([alert('a', { funds_at_risk_usd: '5000000', tier: '0', chain_halt: 'true' })]);
    const merged = mergeImpactInputs({
      fromAlerts,
      facts: {
        fundsAtRiskCents: { value: 230_000_000n, source: 'incident fact: funds movement 0xabc' },
        flags: { key_compromise: { value: true, source: 'incident fact: hot key used by attacker' } },
      },
    });
    expect(merged.fundsAtRiskCents?.source).toBe('incident fact: funds movement 0xabc');
    expect(merged.tier?.source).toBe('alert a label tier');
    expect(Object.keys(merged.flags ?? {})).toEqual(['chain_halt', 'key_compromise']);
    expect(scoreImpact(merged, defaultImpactMatrix)).toMatchObject({ severity: 'SEV1', total: 20 + 60 + 30 + 50 });
  });
});
