/**
 * Canonical JSON in the sense of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings serialised as ECMAScript does. The same value always gives the
 * same bytes, whatever order a database returns keys in, which is what the audit hash needs.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no representation for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out += (i === 0 ? '' : ',') + canonicalJson(item === undefined ? null : item);
    }
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // Without a comparator, sort compares strings by UTF-16 code units, as JCS asks.
    const keys = Object.keys(object).sort();
    let out = '{';
    for (const key of keys) {
      const item = object[key];
      if (item === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonical JSON has no representation for a ${typeof value}`);
}
