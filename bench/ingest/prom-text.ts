/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the samples of a `/metrics` page (comments and types are skipped). */
export function parsePromText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function sumOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** A histogram's observations between two scrapes: count, sum and cumulative bucket counts by upper bound. */
export interface HistogramDelta {
  readonly count: number;
  readonly sum: number;
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

export function histogramDelta(before: readonly Sample[], after: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): HistogramDelta {
  const les = [...new Set(after.filter((s) => s.name === `${name}_bucket`).map((s) => s.labels.le ?? ''))];
  const delta = (sample: string, more: Readonly<Record<string, string>> = {}) => sumOf(after, sample, { ...labels, ...more }) - sumOf(before, sample, { ...labels, ...more });
  return {
    count: delta(`${name}_count`),
    sum: delta(`${name}_sum`),
    buckets: les.map((le) => ({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count: delta(`${name}_bucket`, { le }) })),
  };
}

/** The smallest bucket bound under which at least the share `q` of the observations fall (a histogram's p-quantile, rounded up). */
export function quantileBound(histogram: HistogramDelta, q: number): number | undefined {
  if (histogram.count === 0) return undefined;
  return histogram.buckets.find((b) => b.count >= q * histogram.count)?.le;
}
