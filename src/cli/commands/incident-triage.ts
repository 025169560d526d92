import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { shortId } from '../../core/incident.js';
import { decimalPattern, parseDecimal, pow10, toBaseUnits } from '../../detect/typologies/amounts.js';
import { presentEscalation, presentFact, presentImpact } from '../../http/present-triage.js';
import { describeFact } from '../../respond/facts/incident-facts-service.js';
import { findIncident } from '../../respond/incident-actions.js';
import { explainScore } from '../../triage/impact-score.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

/** Fields that hold a list: `addresses=0xa,0xb`. */
const listFields = new Set(['addresses', 'indicators']);
/** Fields that hold an asset amount: `value=1.5:ETH:18` (decimal amount, asset, decimals). */
const amountFields = new Set(['value', 'balance']);

/** `1.5:ETH:18` as base units, exactly; refuses more fraction digits than the asset has. */
export function parseAmountArgument(field: string, text: string): { amount: string; asset: string; decimals: number } {
  const [amount, asset, decimalsText] = text.split(':');
  const decimals = Number(decimalsText);
  if (amount === undefined || asset === undefined || asset === '' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36 || !decimalPattern.test(amount)) {
    throw new VigilError('VALIDATION_FAILED', `${field} must be AMOUNT:ASSET:DECIMALS, like 1.5:ETH:18, not ${text}`);
  }
  const value = parseDecimal(amount);
  const units = toBaseUnits(value, decimals);
  if (value.scale > decimals && value.units % pow10(value.scale - decimals) !== 0n) {
    throw new VigilError('VALIDATION_FAILED', `${field}: ${amount} has more decimals than ${asset}'s ${decimals}`);
  }
  return { amount: units.toString(), asset, decimals };
}

/** `chain=ethereum state=paused value=1.5:ETH:18` into a fact object (dotted keys nest). */
export function factFromArguments(kind: string, pairs: readonly string[]): Record<string, unknown> {
  const fact: Record<string, unknown> = { kind };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new VigilError('VALIDATION_FAILED', `expected FIELD=VALUE, not ${pair}`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const value = listFields.has(key) ? text.split(',').filter((s) => s !== '') : amountFields.has(key) && text.includes(':') ? parseAmountArgument(key, text) : text;
    const path = key.split('.');
    let target = fact;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path.at(-1) as string] = value;
  }
  return fact;
}

/** `vigil incident impact|facts|fact|escalation`: triage and crypto facts of one incident. */
export function addTriageCommands(incident: Command, context: CliContext): void {
  incident
    .command('impact')
    .description('the impact score and why: each dimension with its input, band, points and source')
    .argument('<incident>', 'id or short id (INC-42)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const result = await withVigil(context, async (vigil) => {
        const found = await findIncident(vigil.store.read, ref);
        return { incident: found, stored: await vigil.store.read.getImpactScore(found.id) };
      });
      const { incident: found, stored } = result;
      print(context, {
        json: opts.json,
        value: { incident: shortId(found), severity: found.severity, impact: stored === undefined ? null : presentImpact(stored) },
        human: () => (stored === undefined ? `${shortId(found)} has no impact score yet` : [`${shortId(found)} is ${found.severity}; impact:`, ...explainScore(stored.score).map((l) => `  ${l}`)].join('\n')),
      });
    });

  incident
    .command('facts')
    .description('transactions, addresses, funds movements, attackers and impact figures recorded for an incident')
    .argument('<incident>', 'id or short id (INC-42)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const facts = await withVigil(context, async (vigil) => vigil.store.read.listIncidentFacts((await findIncident(vigil.store.read, ref)).id));
      print(context, {
        json: opts.json,
        value: { facts: facts.map(presentFact) },
        human: () => (facts.length === 0 ? 'no facts recorded' : facts.map((f) => `${f.body.kind.padEnd(15)} ${describeFact(f.body, undefined)}`).join('\n')),
      });
    });

  incident
    .command('fact')
    .description('record a fact; the same transaction, address or movement again updates it')
    .argument('<incident>', 'id or short id (INC-42)')
    .argument('<kind>', 'transaction | address | funds_movement | attacker | impact')
    .argument('<fields...>', 'FIELD=VALUE pairs, e.g. chain=ethereum address=0xabc state=paused valueUsd=600000; amounts as value=1.5:ETH:18; lists as addresses=0xa,0xb')
    .option('--json', 'print JSON')
    .action(async (...[ref, kind, fields, opts]: [string, string, string[], { json?: boolean }]) => {
      const fact = factFromArguments(kind, fields);
      const result = await withVigil(context, async (vigil) => {
        const stored = await vigil.store.write((tx) => vigil.facts.record(tx, { ref, fact, actor: context.actor }));
        return { stored, incident: await findIncident(vigil.store.read, ref) };
      });
      print(context, {
        json: opts.json,
        value: { fact: presentFact(result.stored), severity: result.incident.severity },
        human: () => `${describeFact(result.stored.body, undefined)}\n${shortId(result.incident)} is ${result.incident.severity}`,
      });
    });

  incident
    .command('escalation')
    .description("where an incident's escalation stands")
    .argument('<incident>', 'id or short id (INC-42)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const result = await withVigil(context, async (vigil) => {
        const found = await findIncident(vigil.store.read, ref);
        return { found, escalation: await vigil.store.read.getEscalation(found.id) };
      });
      const e = result.escalation;
      print(context, {
        json: opts.json,
        value: { incident: shortId(result.found), escalation: e === undefined ? null : presentEscalation(e) },
        human: () =>
          e === undefined
            ? `${shortId(result.found)} has no escalation`
            : `${shortId(result.found)}: policy ${e.policyName}, ${e.status} at level ${e.level + 1}, round ${e.round + 1}${e.nextAt === null ? '' : `, next at ${new Date(e.nextAt).toISOString()}`} (${e.reason})`,
      });
    });
}
