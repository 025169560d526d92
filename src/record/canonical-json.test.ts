import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** JSON values with keys and strings over the whole of Unicode, surrogate pairs included. */
const json = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

/** The same value with every object's keys in another order. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reordered(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const shuffled = entries.map((e, i) => ({ e, k: Math.sin(seed * 31 + i) })).sort((a, b) => a.k - b.k);
  return Object.fromEntries(shuffled.map(({ e: [k, v] }, i) => [k, reordered(v, seed + i)]));
}

describe('canonicalJson (RFC 8785)', () => {
  it('writes the examples as the RFC does: keys by UTF-16 code units, numbers as ECMAScript', () => {
    expect(canonicalJson({ b: 'é', a: { d: 1.5, c: -0 } })).toBe('{"a":{"c":0,"d":1.5},"b":"é"}');
    // RFC 8785 section 3.2.3: sorting by UTF-16 code units puts U+1F600 (a surrogate pair, D83D…) before U+FB33.
    expect(canonicalJson({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' })).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson([1e21, 1e-7, 333333333.3333333, 0.1 + 0.2, null, true])).toBe('[1e+21,1e-7,333333333.3333333,0.30000000000000004,null,true]');
  });

  it('leaves out undefined members and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('refuses what JSON cannot say', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  it('reads back as the value it wrote', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('gives the same text whatever order the keys come in, with every object\'s keys sorted', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reordered(value, seed))).toBe(text);
        const check = (v: unknown): void => {
          if (Array.isArray(v)) return v.forEach(check);
          if (v === null || typeof v !== 'object') return;
          const keys = Object.keys(v);
          expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          Object.values(v).forEach(check);
        };
        // JSON.parse keeps the text's key order (integer-like keys aside, which JS lists first).
        const parsed: unknown = JSON.parse(text);
        if (!JSON.stringify(parsed).match(/"\d+":/)) check(parsed);
      }),
    );
  });
});
