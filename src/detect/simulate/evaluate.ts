import type { Finding } from '../../core/finding.js';
import type { DetectionEngine } from '../detection-engine.js';
import type { LabelledTransaction, Typology } from './simulator.js';

export interface TypologyScore {
  readonly typology: Typology;
  /** Injected instances of the typology. */
  readonly instances: number;
  /** Instances with at least one right finding. */
  readonly found: number;
  /** Findings of the typology's detector that point at a transaction of that typology. */
  readonly truePositives: number;
  /**
   * Findings that point at transactions injected as another typology that has this shape too:
   * a dusting run is also a fan-out, a peel hop also a pass-through. Not false alarms.
   */
  readonly overlaps: number;
  /** Findings about background traffic only: false alarms. */
  readonly falsePositives: number;
  /** truePositives / (truePositives + falsePositives); overlaps are left out. */
  readonly precision: number | null;
  readonly recall: number | null;
}

export interface Evaluation {
  readonly transactions: number;
  readonly findings: number;
  readonly scores: readonly TypologyScore[];
}

/**
 * Scores detectors against ground truth. A finding is right when one of its transactions was
 * injected as the typology its detector claims, an overlap when they were injected as another
 * typology, and a false alarm when they are all background; an instance is found when one
 * finding is right about any of its transactions. Findings of detectors that claim no typology
 * (rules, statistics, graph) are not scored.
 */
export function evaluate(options: {
  stream: Iterable<LabelledTransaction>;
  engine: DetectionEngine;
  typologyOf: (finding: Finding) => Typology | undefined;
}): Evaluation {
  const truth = new Map<string, { typology: Typology; instance: number }>();
  const instances = new Map<Typology, Set<number>>();
  const found = new Map<Typology, Set<number>>();
  const tp = new Map<Typology, number>();
  const fp = new Map<Typology, number>();
  const overlap = new Map<Typology, number>();
  let transactions = 0;
  let findings = 0;
  const bump = (map: Map<Typology, number>, t: Typology) => map.set(t, (map.get(t) ?? 0) + 1);

  for (const { tx, label } of options.stream) {
    transactions += 1;
    if (label !== null) {
      truth.set(tx.hash, label);
      const set = instances.get(label.typology) ?? new Set<number>();
      set.add(label.instance);
      instances.set(label.typology, set);
    }
    for (const finding of options.engine.observe(tx)) {
      findings += 1;
      const claimed = options.typologyOf(finding);
      if (claimed === undefined) continue;
      const labels = finding.txHashes.map((h) => truth.get(h));
      const right = labels.find((l) => l?.typology === claimed);
      if (right === undefined) {
        bump(labels.some((l) => l !== undefined) ? overlap : fp, claimed);
        continue;
      }
      bump(tp, claimed);
      const set = found.get(claimed) ?? new Set<number>();
      set.add(right.instance);
      found.set(claimed, set);
    }
  }

  const all = new Set<Typology>([...instances.keys(), ...tp.keys(), ...fp.keys(), ...overlap.keys()]);
  const scores = [...all].sort().map((typology): TypologyScore => {
    const t = tp.get(typology) ?? 0;
    const f = fp.get(typology) ?? 0;
    const n = instances.get(typology)?.size ?? 0;
    const k = found.get(typology)?.size ?? 0;
    const o = overlap.get(typology) ?? 0;
    return { typology, instances: n, found: k, truePositives: t, overlaps: o, falsePositives: f, precision: t + f === 0 ? null : t / (t + f), recall: n === 0 ? null : k / n };
  });
  return { transactions, findings, scores };
}

/** Which typology a finding claims, for scoring against the generator's ground truth. */
export function typologyOfFinding(finding: Finding): Typology | undefined {
  const id = finding.alertId;
  if (id === 'VIGIL-LARGE-TRANSFER') return 'large-transfer';
  if (id === 'VIGIL-STRUCTURING') return 'structuring';
  if (id === 'VIGIL-FAN-OUT') return 'fan-out';
  if (id === 'VIGIL-FAN-IN') return 'fan-in';
  if (id === 'VIGIL-PASS-THROUGH') return 'pass-through';
  if (id === 'VIGIL-PEEL-CHAIN') return 'peel-chain';
  if (id.startsWith('VIGIL-MIXER-') || id.startsWith('VIGIL-SANCTIONED-')) return 'mixer-exposure';
  if (id === 'VIGIL-ADDRESS-POISONING' || id === 'VIGIL-POISONED-ADDRESS-USED') return 'address-poisoning';
  if (id === 'VIGIL-DUSTING') return 'dusting';
  if (id === 'VIGIL-VELOCITY') return 'velocity';
  return undefined;
}
