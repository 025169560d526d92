/** Nearest-rank percentile of an ascending array: the smallest value with at least p of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

/** p50, p90, p99, max and mean of `values` (which it sorts in place). */
export function latencySummary(values: Float64Array) {
  values.sort();
  let sum = 0;
  for (const v of values) sum += v;
  return {
    p50: percentile(values, 0.5),
    p90: percentile(values, 0.9),
    p99: percentile(values, 0.99),
    max: values.length === 0 ? Number.NaN : values[values.length - 1]!,
    mean: values.length === 0 ? Number.NaN : sum / values.length,
  };
}
